//! What every list and every signed-in answer share: paging bounds, and no caching of another
//! person's data.

use ipoc::domain::users::Role;
use ipoc_tests::each_backend;
use serde_json::Value;

each_backend! {
    async fn every_list_refuses_pages_outside_its_bounds_and_answers_past_the_last(app) {
        let center = app.center(1, "national", "320505").await;
        let admin = app.admin_token().await;
        let c = center.id;
        let lists = [
            ("/api/v1/users".to_string(), &admin),
            ("/api/v1/organizations".to_string(), &admin),
            ("/api/v1/centers".to_string(), &admin),
            ("/api/v1/dashboard".to_string(), &admin),
            (format!("/api/v1/centers/{c}/members"), &center.token),
            (format!("/api/v1/centers/{c}/transactions"), &center.token),
            (format!("/api/v1/centers/{c}/projects"), &center.token),
            (format!("/api/v1/centers/{c}/events"), &center.token),
        ];
        for (path, token) in &lists {
            for bad in ["page=0", "page=1000001", "page=9223372036854775808", "per_page=0", "per_page=201"] {
                let r = app.get(&format!("{path}?{bad}"), Some(token)).await;
                assert_eq!(r.status(), 422, "{path}?{bad}");
                let body: Value = r.json().await.unwrap();
                let field = bad.split('=').next().unwrap();
                assert!(body["error"]["fields"][field].is_array(), "{path}?{bad} names {field}: {body}");
            }
            let last = app.get(&format!("{path}?page=1000000&per_page=200"), Some(token)).await;
            assert_eq!(last.status(), 200, "{path}: a page after the last");
            let body: Value = last.json().await.unwrap();
            assert_eq!(body["items"].as_array().map(Vec::len), Some(0), "{path}: {body}");
        }
        // the centers page shows its last page for any page number past it
        let email = "lists-cnipa@example.cn";
        app.create_user(email, Role::Cnipa, None).await;
        let (browser, _) = app.browser_login(email).await;
        let page = browser.get(app.url("/centers?page=9223372036854775808")).send().await.unwrap();
        assert_eq!(page.status(), 200);
    }
}

each_backend! {
    async fn answers_to_a_signed_in_caller_are_never_cached(app) {
        let center = app.center(2, "national", "320505").await;
        let no_store = |r: &reqwest::Response| r.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_string);
        let me = app.get("/api/v1/me", Some(&center.token)).await;
        assert_eq!(no_store(&me).as_deref(), Some("no-store"), "JSON");
        let download = app.get(&format!("/api/v1/centers/{}/members?format=xlsx", center.id), Some(&center.token)).await;
        assert_eq!(download.status(), 200);
        assert_eq!(no_store(&download).as_deref(), Some("no-store"), "a download");
        let refused = app.get("/api/v1/users", Some(&center.token)).await;
        assert_eq!(no_store(&refused).as_deref(), Some("no-store"), "an error");
        let email = "cache-cnipa@example.cn";
        app.create_user(email, Role::Cnipa, None).await;
        let (browser, _) = app.browser_login(email).await;
        let page = browser.get(app.url("/centers")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(no_store(&page).as_deref(), Some("no-store"), "a page");
        // what anyone may read may be cached as before
        let public = app.get("/api/v1/public/centers", None).await;
        assert_eq!(public.status(), 200);
        assert_ne!(no_store(&public).as_deref(), Some("no-store"));
    }
}
