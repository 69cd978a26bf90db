use ipoc::domain::users::Role;
use ipoc_tests::each_backend;
use serde_json::{Value, json};

each_backend! {
    async fn version_one_holds_the_policy_numbers(app) {
        let (token, _) = app.login_as(Role::Expert).await;
        let body: Value = app.get("/api/v1/rulebook", Some(&token)).await.json().await.unwrap();
        let v1 = &body["items"][0];
        assert_eq!(v1["version"], 1);
        assert_eq!(v1["effective_from"], "2000-01-01");
        assert_eq!(v1["annual_amount_threshold"], "5000000.00");
        assert_eq!(v1["project_threshold"], 10);
        assert_eq!(v1["alliance_threshold"], 20);
        assert_eq!(v1["alliance_counting_kinds"], json!(["enterprise", "university", "research_institute"]));
        assert_eq!(v1["cycle_years"], 3);
        assert_eq!(v1["report_due_month_day"], "03-31");
        assert_eq!(v1["public_notice_working_days"], 5);
        assert_eq!(v1["rubric"]["operation_scale"], 30);
        assert_eq!(body["in_force"], 1);
    }
}

each_backend! {
    async fn an_admin_adds_a_version_that_copies_what_does_not_change(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let r = app.post_json("/api/v1/rulebook", Some(&admin), &json!({"effective_from":"2027-01-01","annual_amount_threshold":"6000000.00"})).await;
        assert_eq!(r.status(), 201);
        let v2: Value = r.json().await.unwrap();
        assert_eq!(v2["version"], 2);
        assert_eq!(v2["annual_amount_threshold"], "6000000.00");
        assert_eq!(v2["project_threshold"], 10);
        assert_eq!(v2["alliance_threshold"], 20);
        assert_eq!(app.audit_count("rulebook.create_version").await, 1);
        let list: Value = app.get("/api/v1/rulebook", Some(&admin)).await.json().await.unwrap();
        assert_eq!(list["items"][0]["annual_amount_threshold"], "5000000.00", "version 1 never changes");
        assert_eq!(list["in_force"], 1, "version 2 is not in force before 2027");
        let in_force = ipoc::domain::rulebook::in_force_on(&app.db, chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()).await.unwrap();
        assert_eq!(in_force.version, 2);
    }
}

each_backend! {
    async fn bad_versions_are_refused_with_the_field(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let cases = [
            (json!({"effective_from":"2026-11-20","project_threshold":12}), "effective_from"),
            (json!({"project_threshold":12}), "effective_from"),
            (json!({"effective_from":"2027-01-01","no_such_rule":1}), "no_such_rule"),
            (json!({"effective_from":"2027-01-01","annual_amount_threshold":"1.001"}), "annual_amount_threshold"),
            (json!({"effective_from":"2027-01-01","rubric":{"operation_scale":50}}), "rubric"),
            (json!({"effective_from":"2027-01-01","project_threshold":0}), "project_threshold"),
            (json!({"effective_from":"2027-01-01","annual_rubric":{"operation_scale":40}}), "annual_rubric"),
            (json!({"effective_from":"2027-01-01","min_experts":0}), "min_experts"),
            (json!({"effective_from":"2027-01-01","alliance_counting_kinds":["bank"]}), "alliance_counting_kinds"),
        ];
        for (body, field) in cases {
            let r = app.post_json("/api/v1/rulebook", Some(&admin), &body).await;
            assert_eq!(r.status(), 422, "{body}");
            let err: Value = r.json().await.unwrap();
            let fields = err["error"]["fields"].as_object().unwrap();
            assert!(fields.keys().any(|k| k.starts_with(field)), "{field} in {err}");
        }
        let wrong_type = app.post_json("/api/v1/rulebook", Some(&admin), &json!({"effective_from":"2027-01-01","project_threshold":"twelve"})).await;
        assert_eq!(wrong_type.status(), 400);
        assert_eq!(app.audit_count("rulebook.create_version").await, 0);
    }
}

each_backend! {
    async fn two_admins_adding_versions_at_once_never_share_a_number(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let first = json!({"effective_from":"2027-01-01","project_threshold":11});
        let second = json!({"effective_from":"2028-01-01","project_threshold":12});
        let a = app.post_json("/api/v1/rulebook", Some(&admin), &first);
        let b = app.post_json("/api/v1/rulebook", Some(&admin), &second);
        let (a, b) = tokio::join!(a, b);
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert!(statuses == [201, 201] || statuses == [201, 409] || statuses == [201, 422], "{statuses:?}");
        let list: Value = app.get("/api/v1/rulebook", Some(&admin)).await.json().await.unwrap();
        let versions: Vec<i64> = list["items"].as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
        let mut unique = versions.clone();
        unique.dedup();
        assert_eq!(versions, unique);
    }
}
