use ipoc_tests::each_backend;
use serde_json::{Value, json};

fn registration(email: &str, uscc: &str) -> Value {
    json!({
        "email": email,
        "password": "long-enough-pw",
        "organization": {"uscc": uscc, "name": "苏州测试新材料有限公司", "kind": "enterprise", "region_code": "320505", "flags": ["tech_sme", "high_tech"]}
    })
}

each_backend! {
    async fn a_visitor_registers_a_member_with_its_organization(app) {
        let r = app.post_json("/api/v1/auth/register", None, &registration("NEW@member.cn", " 91110000600037341l ")).await;
        assert_eq!(r.status(), 201);
        let body: Value = r.json().await.unwrap();
        let token = body["token"].as_str().unwrap();
        let me: Value = app.get("/api/v1/me", Some(token)).await.json().await.unwrap();
        assert_eq!(me["email"], "new@member.cn");
        assert_eq!(me["role"], "member");
        assert_eq!(me["organization"]["uscc"], "91110000600037341L");
        assert_eq!(me["organization"]["kind"], "enterprise");
        assert_eq!(me["organization"]["flags"], json!(["tech_sme", "high_tech"]));
        assert_eq!(app.audit_count("user.register").await, 1);
        // one action, one audit row, holding both records
        assert_eq!(app.audit_count("organization.create").await, 0);
    }
}

each_backend! {
    async fn each_kind_of_uscc_error_is_named(app) {
        let cases = [
            ("9111000060003734", "18", "18 characters, not 16"),
            ("91110000I00037341L", "“I”", "character 'I' at position 9"),
            ("91110000600037341N", "校验位与前 17 位不符", "does not match the first 17 characters"),
        ];
        for (uscc, zh, en) in cases {
            let r = app.post_json("/api/v1/auth/register", None, &registration("x@member.cn", uscc)).await;
            assert_eq!(r.status(), 422, "{uscc}");
            let body: Value = r.json().await.unwrap();
            assert_eq!(body["error"]["code"], "validation_failed");
            let message = body["error"]["fields"]["organization.uscc"][0].as_str().unwrap();
            assert!(message.contains(zh), "{message}");
            assert!(!message.contains("“L”"), "the code is wrong, not which character would pass: {message}");
            let english: Value = app
                .api
                .post(app.url("/api/v1/auth/register"))
                .header("Accept-Language", "en-US,en;q=0.9")
                .json(&registration("x@member.cn", uscc))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let message = english["error"]["fields"]["organization.uscc"][0].as_str().unwrap();
            assert!(message.contains(en), "{message}");
        }
        // nothing was kept from the refused attempts
        assert_eq!(app.audit_count("user.register").await, 0);
    }
}

each_backend! {
    async fn other_invalid_fields_are_named(app) {
        let body = json!({"email":"not-an-email","password":"short","organization":{"uscc":"91110000600037341L","name":" ","kind":"enterprise","region_code":"990000"}});
        let r: Value = app.post_json("/api/v1/auth/register", None, &body).await.json().await.unwrap();
        let fields = r["error"]["fields"].as_object().unwrap();
        for field in ["email", "password", "organization.name", "organization.region_code"] {
            assert!(fields.contains_key(field), "{field} in {r}");
        }
        let unknown_kind = json!({"email":"a@b.cn","password":"long-enough-pw","organization":{"uscc":"91110000600037341L","name":"x","kind":"bank","region_code":"110000"}});
        let r = app.post_json("/api/v1/auth/register", None, &unknown_kind).await;
        assert_eq!(r.status(), 422);
        let r: Value = r.json().await.unwrap();
        assert!(r["error"]["fields"]["organization.kind"].is_array(), "{r}");
        let missing = json!({"email":"a@b.cn","password":"long-enough-pw"});
        let r = app.post_json("/api/v1/auth/register", None, &missing).await;
        assert_eq!(r.status(), 422);
        let r: Value = r.json().await.unwrap();
        assert!(r["error"]["fields"]["organization"].is_array(), "{r}");
    }
}

each_backend! {
    async fn duplicates_are_conflicts(app) {
        assert_eq!(app.post_json("/api/v1/auth/register", None, &registration("one@member.cn", "91110000600037341L")).await.status(), 201);
        let other_code = ipoc::domain::identifiers::with_check_character("91320500100000009").unwrap().to_string();
        assert_eq!(app.post_json("/api/v1/auth/register", None, &registration("two@member.cn", &other_code)).await.status(), 201);
        let third_code = ipoc::domain::identifiers::with_check_character("91320500100000008").unwrap().to_string();
        let same_email = app.post_json("/api/v1/auth/register", None, &registration("ONE@member.cn", &third_code)).await;
        assert_eq!(same_email.status(), 409);
    }
}

each_backend! {
    async fn a_person_whose_organization_is_registered_asks_to_be_linked_and_its_center_decides(app) {
        use ipoc_tests::uscc;
        // a center registered the organization as an alliance member
        let center = app.center(1, "national", "320505").await;
        let code = uscc(21);
        let member = json!({"organization": {"uscc": code, "name": "已登记科技有限公司", "kind": "enterprise", "region_code": "320506"}});
        assert_eq!(app.post_json(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token), &member).await.status(), 201);
        // its employee registers with the code alone: the account exists, the link waits
        let asked = json!({"email": "staff@yidengji.cn", "name": "钱员工", "password": "long-enough-pw", "organization": {"uscc": code.to_lowercase()}});
        let r = app.post_json("/api/v1/auth/register", None, &asked).await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let person = app.login("staff@yidengji.cn", "long-enough-pw").await;
        let me: Value = app.get("/api/v1/me", Some(&person)).await.json().await.unwrap();
        assert!(me["organization"].is_null(), "no organization before approval: {me}");
        assert_eq!(me["organization_link"]["status"], "pending");
        let link = me["organization_link"]["id"].as_i64().unwrap();
        // staff of another center do not decide it; the center holding it does, once
        let stranger = app.center(2, "national", "320505").await;
        let approve = format!("/api/v1/organization-links/{link}/approve");
        assert_eq!(app.post_json(&approve, Some(&stranger.token), &json!({})).await.status(), 404);
        let listed: Value = app.get("/api/v1/organization-links", Some(&center.token)).await.json().await.unwrap();
        assert_eq!(listed[0]["user_email"], "staff@yidengji.cn");
        let admin = app.admin_token().await;
        let nothing = json!({});
        let (first, second) = tokio::join!(
            app.post_json(&approve, Some(&center.token), &nothing),
            app.post_json(&approve, Some(&admin), &nothing),
        );
        let mut answers = [first.status().as_u16(), second.status().as_u16()];
        answers.sort();
        assert_eq!(answers, [200, 409], "two deciders at once: exactly one decides");
        let me: Value = app.get("/api/v1/me", Some(&person)).await.json().await.unwrap();
        assert_eq!(me["organization"]["uscc"], code, "linked once approved");
        assert_eq!(app.audit_count("organization_link.approve").await, 1);
        // a new organization still needs its name, kind and region, each named
        let bare = json!({"email": "x@new.cn", "password": "long-enough-pw", "organization": {"uscc": uscc(22)}});
        let r = app.post_json("/api/v1/auth/register", None, &bare).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        for field in ["organization.name", "organization.kind", "organization.region_code"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
    }
}

each_backend! {
    async fn bodies_that_are_not_json_or_have_wrong_types_are_400(app) {
        let r = app.api.post(app.url("/api/v1/auth/register")).header("content-type", "application/json").body("{not json").send().await.unwrap();
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request");
        let mut wrong_type = registration("a@b.cn", "91110000600037341L");
        wrong_type["password"] = json!(1234567890);
        let r = app.post_json("/api/v1/auth/register", None, &wrong_type).await;
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("password"));
        let r = app.api.post(app.url("/api/v1/auth/login")).body("email=a").send().await.unwrap();
        assert_eq!(r.status(), 400);
    }
}
