use ipoc::domain::users::Role;
use ipoc_tests::each_backend;
use serde_json::{Value, json};

each_backend! {
    async fn admins_may_override_a_failing_check_character_with_a_reason(app) {
        let (admin, _) = app.login_as(Role::Admin).await;
        let (center, _) = app.login_as(Role::Center).await;
        let body = json!({"uscc":"91110000600037341N","name":"早期试点单位","kind":"research_institute","region_code":"110108","uscc_check_override_reason":"2015 年试点代码，校验位不符"});
        let refused = app.post_json("/api/v1/organizations", Some(&center), &body).await;
        assert_eq!(refused.status(), 422);
        let r = app.post_json("/api/v1/organizations", Some(&admin), &body).await;
        assert_eq!(r.status(), 201);
        let org: Value = r.json().await.unwrap();
        assert_eq!(org["uscc"], "91110000600037341N");
        assert_eq!(org["uscc_check_override_reason"], "2015 年试点代码，校验位不符");
        assert_eq!(app.audit_count("organization.create_with_check_override").await, 1);
        // the override does not excuse a wrong length
        let short = json!({"uscc":"9111000060003734","name":"x","kind":"other","region_code":"110108","uscc_check_override_reason":"r"});
        assert_eq!(app.post_json("/api/v1/organizations", Some(&admin), &short).await.status(), 422);
    }
}

each_backend! {
    async fn organizations_are_searched_by_name_or_code(app) {
        let (center, _) = app.login_as(Role::Center).await;
        let body = json!({"uscc":"91110000600037341L","name":"北京纳米科技有限公司","kind":"enterprise","region_code":"110108","flags":["leading"]});
        assert_eq!(app.post_json("/api/v1/organizations", Some(&center), &body).await.status(), 201);
        assert_eq!(app.post_json("/api/v1/organizations", Some(&center), &body).await.status(), 409);
        let by_name: Value = app.get("/api/v1/organizations?q=%E7%BA%B3%E7%B1%B3", Some(&center)).await.json().await.unwrap();
        assert_eq!(by_name["total"], 1);
        assert_eq!(by_name["items"][0]["flags"], json!(["leading"]));
        let by_code: Value = app.get("/api/v1/organizations?q=9111", Some(&center)).await.json().await.unwrap();
        assert_eq!(by_code["total"], 1);
        let none: Value = app.get("/api/v1/organizations?q=nothing", Some(&center)).await.json().await.unwrap();
        assert_eq!(none["total"], 0);
        assert_eq!(app.get("/api/v1/organizations?page=0", Some(&center)).await.status(), 422);
    }
}
