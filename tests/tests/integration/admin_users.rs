use ipoc::domain::users::Role;
use ipoc_tests::{PASSWORD, each_backend};
use serde_json::{Value, json};

each_backend! {
    async fn admins_create_list_and_change_users(app) {
        let (admin, admin_id) = app.login_as(Role::Admin).await;
        let r = app.post_json("/api/v1/users", Some(&admin), &json!({"email":"Office@Jiangsu.cn","password":PASSWORD,"role":"local_office","region_code":"320000"})).await;
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["email"], "office@jiangsu.cn");
        assert_eq!(created["region_code"], "320000");
        assert_eq!(app.audit_count("user.create").await, 2);
        let dup = app.post_json("/api/v1/users", Some(&admin), &json!({"email":"office@JIANGSU.cn","password":PASSWORD,"role":"cnipa"})).await;
        assert_eq!(dup.status(), 409);
        let no_region = app.post_json("/api/v1/users", Some(&admin), &json!({"email":"o2@x.cn","password":PASSWORD,"role":"local_office"})).await;
        assert_eq!(no_region.status(), 422);
        let county = app.post_json("/api/v1/users", Some(&admin), &json!({"email":"o3@x.cn","password":PASSWORD,"role":"local_office","region_code":"320506"})).await;
        assert_eq!(county.status(), 422);
        let bad_role = app.post_json("/api/v1/users", Some(&admin), &json!({"email":"o4@x.cn","password":PASSWORD,"role":"superuser"})).await;
        assert_eq!(bad_role.status(), 422);

        let list: Value = app.get("/api/v1/users?page=1&per_page=2", Some(&admin)).await.json().await.unwrap();
        assert_eq!(list["total"], 2);
        assert_eq!(list["per_page"], 2);
        assert_eq!(app.get("/api/v1/users?per_page=201", Some(&admin)).await.status(), 422);

        let id = created["id"].as_i64().unwrap();
        let r = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"role":"expert","version":1})).await;
        assert_eq!(r.status(), 200);
        let updated: Value = r.json().await.unwrap();
        assert_eq!(updated["role"], "expert");
        assert_eq!(updated["version"], 2);
        assert_eq!(app.audit_count("user.update").await, 1);
        let stale = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{id}"), Some(&admin), &json!({"disabled":true,"version":1})).await;
        assert_eq!(stale.status(), 409);
        for body in [json!({"disabled":true,"version":1}), json!({"role":"cnipa","version":1})] {
            let own = app.send_json(reqwest::Method::PATCH, &format!("/api/v1/users/{admin_id}"), Some(&admin), &body).await;
            assert_eq!(own.status(), 422, "an admin cannot lock themselves out: {body}");
        }
        assert_eq!(app.send_json(reqwest::Method::PATCH, "/api/v1/users/99999", Some(&admin), &json!({"version":1})).await.status(), 404);
        assert_eq!(app.send_json(reqwest::Method::PATCH, "/api/v1/users/abc", Some(&admin), &json!({"version":1})).await.status(), 404);
    }
}

each_backend! {
    async fn concurrent_edits_of_one_version_let_exactly_one_win(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let id = app.create_user("target@example.cn", Role::Member, None).await;
        let path = format!("/api/v1/users/{id}");
        let bodies: Vec<Value> = (0..6)
            .map(|i| if i % 2 == 0 { json!({"role":"expert","version":1}) } else { json!({"disabled":true,"version":1}) })
            .collect();
        let requests = bodies.iter().map(|body| app.send_json(reqwest::Method::PATCH, &path, Some(&admin), body));
        let statuses: Vec<u16> = futures_util::future::join_all(requests).await.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 5, "{statuses:?}");
        assert_eq!(app.audit_count("user.update").await, 1);
    }
}

each_backend! {
    async fn the_first_start_creates_one_admin_with_a_one_time_password(app) {
        // the harness database starts empty of users
        let (email, password) = ipoc::domain::users::ensure_initial_admin(&app.db, "root@ipoc.local", chrono::Utc::now()).await.unwrap().unwrap();
        let token = app.login(&email, &password).await;
        let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["role"], "admin");
        assert!(ipoc::domain::users::ensure_initial_admin(&app.db, "root@ipoc.local", chrono::Utc::now()).await.unwrap().is_none());
    }
}
