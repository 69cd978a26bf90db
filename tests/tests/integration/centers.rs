use ipoc::domain::users::Role;
use ipoc_tests::{each_backend, uscc};
use serde_json::{Value, json};

each_backend! {
    async fn the_industries_list_is_seeded_and_admin_managed(app) {
        let (member, _) = app.login_as(Role::Member).await;
        let list: Value = app.get("/api/v1/industries", Some(&member)).await.json().await.unwrap();
        let names: Vec<&str> = list.as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["新一代信息技术", "高端装备制造", "新材料", "生物", "新能源汽车", "新能源", "节能环保", "数字创意", "相关服务业"]);
        assert_eq!(app.post_json("/api/v1/industries", Some(&member), &json!({"name":"航空航天"})).await.status(), 403);
        let admin = app.admin_token().await;
        assert_eq!(app.post_json("/api/v1/industries", Some(&admin), &json!({"name":"航空航天"})).await.status(), 201);
        assert_eq!(app.post_json("/api/v1/industries", Some(&admin), &json!({"name":"航空航天"})).await.status(), 409);
    }
}

each_backend! {
    async fn a_center_user_creates_one_center_and_becomes_its_staff(app) {
        let host = app.organization(1, "enterprise", &["leading"]).await;
        let (token, _) = app.login_as(Role::Center).await;
        let body = json!({"name":"江苏新材料产业知识产权运营中心","level":"national","industry":"新材料","region_code":"320505","host_uscc":host});
        let r = app.post_json("/api/v1/centers", Some(&token), &body).await;
        assert_eq!(r.status(), 201);
        let center: Value = r.json().await.unwrap();
        assert_eq!(center["status"], "draft");
        assert_eq!(center["province"], "江苏省");
        assert_eq!(center["host"]["uscc"], host);
        let me: Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        assert_eq!(me["center_id"], center["id"]);
        assert_eq!(app.post_json("/api/v1/centers", Some(&token), &body).await.status(), 409);
        assert_eq!(app.audit_count("center.create").await, 1);

        let (fresh, _) = app.login_as(Role::Center).await;
        let bad = json!({"name":"","level":"national","industry":"钢铁","region_code":"990000","host_uscc":uscc(404)});
        let r = app.post_json("/api/v1/centers", Some(&fresh), &bad).await;
        assert_eq!(r.status(), 422);
        let err: Value = r.json().await.unwrap();
        for field in ["name", "industry", "region_code", "host_uscc"] {
            assert!(err["error"]["fields"][field].is_array(), "{field}: {err}");
        }
        let bad_level = json!({"name":"x","level":"county","industry":"新材料","region_code":"320505","host_uscc":host});
        assert_eq!(app.post_json("/api/v1/centers", Some(&fresh), &bad_level).await.status(), 422);
        let (member, _) = app.login_as(Role::Member).await;
        assert_eq!(app.post_json("/api/v1/centers", Some(&member), &body).await.status(), 403);
    }
}

each_backend! {
    async fn readers_of_a_center_and_404_outside_scope(app) {
        let center = app.center(2, "national", "320505").await;
        let other = app.center(3, "national", "110108").await;
        let path = format!("/api/v1/centers/{}", center.id);
        assert_eq!(app.get(&path, Some(&center.token)).await.status(), 200);
        assert_eq!(app.get(&path, Some(&other.token)).await.status(), 404, "another center's staff");
        assert_eq!(app.get(&format!("{path}/metrics"), Some(&other.token)).await.status(), 404);
        assert_eq!(app.get(&format!("{path}/transactions"), Some(&other.token)).await.status(), 404);
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        assert_eq!(app.get(&path, Some(&cnipa)).await.status(), 200);
        let province = app.create_user("jiangsu@office.cn", Role::LocalOffice, Some("320000")).await;
        let city = app.create_user("suzhou@office.cn", Role::LocalOffice, Some("320500")).await;
        let nanjing = app.create_user("nanjing@office.cn", Role::LocalOffice, Some("320100")).await;
        let beijing = app.create_user("beijing@office.cn", Role::LocalOffice, Some("110000")).await;
        let _ = (province, city, nanjing, beijing);
        for (email, expected) in [("jiangsu@office.cn", 200), ("suzhou@office.cn", 200), ("nanjing@office.cn", 404), ("beijing@office.cn", 404)] {
            let token = app.login(email, ipoc_tests::PASSWORD).await;
            assert_eq!(app.get(&path, Some(&token)).await.status(), expected, "{email}");
        }
        let (expert, _) = app.login_as(Role::Expert).await;
        assert_eq!(app.get(&path, Some(&expert)).await.status(), 404);
        // writes: only the staff; other readers 403, outsiders 404
        let deal = json!({"kind":"transfer","amount":"1.00","contract_date":"2025-01-01","counterparty_uscc":[uscc(9)],"patent_numbers":["201710601862.3"]});
        assert_eq!(app.post_json(&format!("{path}/transactions"), Some(&cnipa), &deal).await.status(), 403);
        assert_eq!(app.post_json(&format!("{path}/transactions"), Some(&other.token), &deal).await.status(), 404);
        assert_eq!(app.post_json(&format!("{path}/transactions"), None, &deal).await.status(), 401);
    }
}

each_backend! {
    async fn the_centers_list_is_scoped_filtered_and_carries_indicators(app) {
        let suzhou = app.center(4, "national", "320505").await;
        app.center(5, "provincial", "320105").await;
        app.center(6, "national", "110108").await;
        app.deal(&suzhou, "transfer", "1200000.50", "2026-02-01").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let all: Value = app.get("/api/v1/centers", Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(all["total"], 3);
        let jiangsu: Value = app.get("/api/v1/centers?province=32&level=national", Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(jiangsu["total"], 1);
        let item = &jiangsu["items"][0];
        assert_eq!(item["indicators"]["operation_amount"], "1200000.50");
        assert_eq!(item["indicators"]["year"], 2026);
        assert_eq!(item["indicators"]["operation_scale_passed"], false);
        assert_eq!(item["indicators"]["host_eligible_passed"], true);
        assert_eq!(item["proposals"], json!([]));
        let own: Value = app.get("/api/v1/centers", Some(&suzhou.token)).await.json().await.unwrap();
        assert_eq!(own["total"], 1);
        app.create_user("js@office.cn", Role::LocalOffice, Some("320000")).await;
        let office = app.login("js@office.cn", ipoc_tests::PASSWORD).await;
        let theirs: Value = app.get("/api/v1/centers", Some(&office)).await.json().await.unwrap();
        assert_eq!(theirs["total"], 2);
        let (member, _) = app.login_as(Role::Member).await;
        let public: Value = app.get("/api/v1/centers", Some(&member)).await.json().await.unwrap();
        assert_eq!(public["total"], 3);
        assert!(public["items"][0].get("host").is_none() && public["items"][0].get("indicators").is_none(), "public fields only");

        let csv = app.get("/api/v1/centers?format=csv", Some(&cnipa)).await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let text = csv.text().await.unwrap();
        assert!(text.trim_start_matches('\u{feff}').starts_with("编号,名称,级别"));
        assert_eq!(text.lines().count(), 4);
        let xlsx = app.get("/api/v1/centers?format=xlsx", Some(&cnipa)).await;
        assert_eq!(xlsx.status(), 200);
        assert!(xlsx.headers()["content-disposition"].to_str().unwrap().contains("centers.xlsx"));
        assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    }
}
