use ipoc::{domain::users::Role, seed::demo::DEMO_PASSWORD};
use ipoc_tests::{PASSWORD, backends, each_backend, spawn_app_with};
use serde_json::{Value, json};

each_backend! {
    async fn login_succeeds_and_me_shows_the_caller(app) {
        app.create_user("Alice@Example.cn", Role::Cnipa, None).await;
        let token = app.login("alice@example.CN", PASSWORD).await;
        let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["email"], "alice@example.cn");
        assert_eq!(me["role"], "cnipa");
        assert!(me.get("password_hash").is_none());
    }
}

each_backend! {
    async fn wrong_password_and_unknown_email_answer_alike(app) {
        app.create_user("bob@example.cn", Role::Member, None).await;
        let wrong = app.post_json("/api/v1/auth/login", None, &json!({"email":"bob@example.cn","password":"not-the-password"})).await;
        assert_eq!(wrong.status(), 401);
        let wrong: Value = wrong.json().await.unwrap();
        let unknown = app.post_json("/api/v1/auth/login", None, &json!({"email":"nobody@example.cn","password":"not-the-password"})).await;
        assert_eq!(unknown.status(), 401);
        let unknown: Value = unknown.json().await.unwrap();
        assert_eq!(wrong, unknown);
        assert_eq!(wrong["error"]["code"], "unauthorized");
        assert_eq!(wrong["error"]["message"], "电子邮箱或密码不正确");
    }
}

each_backend! {
    async fn a_disabled_account_cannot_log_in(app) {
        let id = app.create_user("carol@example.cn", Role::Expert, None).await;
        let (admin, _) = app.login_as(Role::Admin).await;
        let patched = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled": true, "version": 1})).await;
        assert_eq!(patched.status(), 200);
        let response = app.post_json("/api/v1/auth/login", None, &json!({"email":"carol@example.cn","password":PASSWORD})).await;
        assert_eq!(response.status(), 401);
    }
}

each_backend! {
    async fn ten_failures_lock_an_account_with_retry_after(app) {
        app.create_user("dave@example.cn", Role::Member, None).await;
        for attempt in 1..=10 {
            let r = app.post_json("/api/v1/auth/login", None, &json!({"email":"dave@example.cn","password":"wrong-password"})).await;
            assert_eq!(r.status(), 401, "attempt {attempt}");
        }
        // even the right password is refused now: the account is locked for the window
        let locked = app.post_json("/api/v1/auth/login", None, &json!({"email":"dave@example.cn","password":PASSWORD})).await;
        assert_eq!(locked.status(), 429);
        let retry: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 15 * 60, "retry after {retry}");
        let body: Value = locked.json().await.unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
        // another account from the same address is not locked by it
        app.create_user("erin@example.cn", Role::Member, None).await;
        app.login("erin@example.cn", PASSWORD).await;
    }
}

each_backend! {
    async fn fifty_failures_from_one_address_are_throttled(app) {
        for attempt in 1..=50 {
            let r = app.post_json("/api/v1/auth/login", None, &json!({"email": format!("guess{attempt}@example.cn"), "password":"wrong-password"})).await;
            assert_eq!(r.status(), 401, "attempt {attempt}");
        }
        let r = app.post_json("/api/v1/auth/login", None, &json!({"email":"guess51@example.cn","password":"wrong-password"})).await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
    }
}

each_backend! {
    async fn successful_logins_are_not_throttled(app) {
        app.create_user("frank@example.cn", Role::Member, None).await;
        for _ in 0..30 {
            app.login("frank@example.cn", PASSWORD).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logins_per_address_per_minute_are_capped() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_LOGINS_PER_IP_PER_MINUTE", "3")]).await;
        app.create_user("gina@example.cn", Role::Member, None).await;
        for _ in 0..3 {
            app.login("gina@example.cn", PASSWORD).await;
        }
        let r = app
            .post_json(
                "/api/v1/auth/login",
                None,
                &json!({"email":"gina@example.cn","password":PASSWORD}),
            )
            .await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
    }
}

each_backend! {
    async fn role_guards_answer_401_then_403(app) {
        let (member, _) = app.login_as(Role::Member).await;
        let (admin, _) = app.login_as(Role::Admin).await;
        for path in ["/api/v1/users", "/api/v1/me", "/api/v1/rulebook", "/api/v1/organizations"] {
            assert_eq!(app.get(path, None).await.status(), 401, "{path} anonymous");
            assert_eq!(app.get(path, Some("not-a-token")).await.status(), 401, "{path} bad token");
        }
        assert_eq!(app.get("/api/v1/users", Some(&member)).await.status(), 403);
        assert_eq!(app.get("/api/v1/users", Some(&admin)).await.status(), 200);
        let create = json!({"email":"new@example.cn","password":PASSWORD,"role":"expert"});
        assert_eq!(app.post_json("/api/v1/users", Some(&member), &create).await.status(), 403);
        let body: Value = app.post_json("/api/v1/rulebook", Some(&member), &json!({"effective_from":"2027-01-01"})).await.json().await.unwrap();
        assert_eq!(body["error"]["code"], "forbidden");
        for role in [Role::Cnipa, Role::Expert, Role::LocalOffice, Role::Center] {
            let (token, _) = app.login_as(role).await;
            assert_eq!(app.get("/api/v1/users", Some(&token)).await.status(), 403, "{role:?}");
        }
    }
}

each_backend! {
    async fn disabling_or_a_new_role_revokes_tokens_at_once(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let (expert, expert_id) = app.login_as(Role::Expert).await;
        assert_eq!(app.get("/api/v1/me", Some(&expert)).await.status(), 200);
        let r = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{expert_id}"), Some(&admin), &json!({"role":"cnipa","version":1})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.get("/api/v1/me", Some(&expert)).await.status(), 401);

        let (member, member_id) = app.login_as(Role::Member).await;
        let r = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{member_id}"), Some(&admin), &json!({"disabled":true,"version":1})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.get("/api/v1/me", Some(&member)).await.status(), 401);
    }
}

each_backend! {
    async fn demo_accounts_exist_only_when_seeded(app) {
        let r = app.post_json("/api/v1/auth/login", None, &json!({"email":"admin@demo.ipoc.cn","password":DEMO_PASSWORD})).await;
        assert_eq!(r.status(), 401);
        let first = ipoc::seed::demo::seed(&app.db, chrono::Utc::now()).await.unwrap();
        assert_eq!(first.users_added, 9);
        assert!(first.center_added);
        assert!(first.reviewed_centers_added);
        let again = ipoc::seed::demo::seed(&app.db, chrono::Utc::now()).await.unwrap();
        assert_eq!(again, ipoc::seed::demo::SeedReport::default());
        for email in ["admin", "cnipa", "expert", "local", "center", "member"] {
            app.login(&format!("{email}@demo.ipoc.cn"), DEMO_PASSWORD).await;
        }
        assert_eq!(app.audit_count("demo.seed").await, 1);
        let staff = app.login("center@demo.ipoc.cn", DEMO_PASSWORD).await;
        let me: Value = app.get("/api/v1/me", Some(&staff)).await.json().await.unwrap();
        let center = me["center_id"].as_i64().expect("the demo center");
        let m: Value = app.get(&format!("/api/v1/centers/{center}/metrics"), Some(&staff)).await.json().await.unwrap();
        assert_eq!(m["operation_amount"], "3310000.00");
        assert_eq!(m["alliance_counting_members"], 12, "the service agency does not count");
        assert_eq!(m["projects_cumulative"], 5, "the planned project does not count");
    }
}

each_backend! {
    async fn logging_out_ends_that_session_only(app) {
        app.create_user("leaver@example.cn", Role::Cnipa, None).await;
        let first = app.login("leaver@example.cn", PASSWORD).await;
        let second = app.login("leaver@example.cn", PASSWORD).await;
        let out = app.post_json("/api/v1/auth/logout", Some(&first), &json!({})).await;
        assert_eq!(out.status(), 204);
        assert_eq!(app.get("/api/v1/me", Some(&first)).await.status(), 401, "the logged-out token opens nothing");
        assert_eq!(app.get("/api/v1/centers", Some(&first)).await.status(), 401);
        assert_eq!(app.get("/api/v1/dashboard", Some(&first)).await.status(), 401, "nor the dashboard's own account read");
        assert_eq!(app.get("/api/v1/me", Some(&second)).await.status(), 200, "another session goes on");
        assert_eq!(app.post_json("/api/v1/auth/logout", Some(&first), &json!({})).await.status(), 401);

        // the page: the session cookie, copied before logging out, is dead afterwards
        let browser = app.browser();
        let login_page = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = ipoc_tests::csrf_from(&login_page);
        let form = [("csrf_token", csrf.as_str()), ("email", "leaver@example.cn"), ("password", PASSWORD)];
        let logged_in = browser.post(app.url("/login")).form(&form).send().await.unwrap();
        assert_eq!(logged_in.status(), 303);
        let cookie = logged_in.cookies().find(|c| c.name() == ipoc::auth::SESSION_COOKIE).map(|c| c.value().to_string()).unwrap();
        let copied = || app.api.get(app.url("/dashboard")).header("cookie", format!("{}={cookie}", ipoc::auth::SESSION_COOKIE));
        assert_eq!(copied().send().await.unwrap().status(), 200);
        let out = browser.post(app.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
        assert_eq!(out.status(), 303);
        assert_ne!(copied().send().await.unwrap().status(), 200, "the copied cookie no longer opens the dashboard");
        assert_eq!(app.get("/api/v1/me", Some(&second)).await.status(), 200);
    }
}
