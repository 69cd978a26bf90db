use ipoc::domain::users::Role;
use ipoc_tests::{PASSWORD, csrf_from, each_backend};

each_backend! {
    async fn a_person_logs_in_with_the_form_sees_their_home_and_logs_out(app) {
        app.create_user("staff@center.cn", Role::Center, None).await;
        let browser = app.browser();
        let page = browser.get(app.url("/login")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-CN\">") && html.contains("登录"));
        let csrf = csrf_from(&html);

        let wrong = browser.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", "staff@center.cn"), ("password", "not-the-password")]).send().await.unwrap();
        assert_eq!(wrong.status(), 401);
        let html = wrong.text().await.unwrap();
        assert!(html.contains("电子邮箱或密码不正确"));
        assert!(html.contains("value=\"staff@center.cn\""), "the e-mail is kept");

        let ok = browser.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", "staff@center.cn"), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(ok.status(), 303);
        assert_eq!(ok.headers()["location"], "/home");
        let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

        let home = browser.get(app.url("/home")).send().await.unwrap();
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        assert!(html.contains("运营中心") && html.contains("staff@center.cn"));
        assert!(html.contains("5,000,000.00"), "thresholds from the rulebook");
        // the page cookie does not authenticate the API
        assert_eq!(browser.get(app.url("/api/v1/me")).send().await.unwrap().status(), 401);

        let out = browser.post(app.url("/logout")).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
        assert_eq!(out.status(), 303);
        let after = browser.get(app.url("/home")).send().await.unwrap();
        assert_eq!(after.status(), 303);
        assert!(after.headers()["location"].to_str().unwrap().starts_with("/login"));
    }
}

each_backend! {
    async fn forms_without_the_csrf_token_are_refused(app) {
        app.create_user("x@center.cn", Role::Center, None).await;
        let browser = app.browser();
        let html = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_from(&html);
        let missing = browser.post(app.url("/login")).form(&[("email", "x@center.cn"), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(missing.status(), 403);
        let forged = browser.post(app.url("/login")).form(&[("csrf_token", "forged-token-forged-token-forged-token-abc"), ("email", "x@center.cn"), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(forged.status(), 403);
        // a token from another session (no cookie) is refused too
        let stranger = app.api.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", "x@center.cn"), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(stranger.status(), 403);
        let register = browser.post(app.url("/register")).form(&[("email", "y@m.cn")]).send().await.unwrap();
        assert_eq!(register.status(), 403);
    }
}

each_backend! {
    async fn the_language_switches_and_is_remembered(app) {
        let browser = app.browser();
        let zh = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
        assert!(zh.contains("lang=\"zh-CN\"") && zh.contains("产业知识产权运营中心管理系统"));
        let en = browser.get(app.url("/?lang=en")).send().await.unwrap();
        assert!(en.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap().starts_with("lang=en")));
        let en = en.text().await.unwrap();
        assert!(en.contains("lang=\"en\"") && en.contains("Industrial IP Operation Centers"));
        let remembered = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        assert!(remembered.contains("Log in") && remembered.contains("lang=\"en\""));
        let by_header = app.api.get(app.url("/login")).header("Accept-Language", "en-GB,en;q=0.8").send().await.unwrap().text().await.unwrap();
        assert!(by_header.contains("lang=\"en\""));
        // a wrong password in English says so in English
        let csrf = csrf_from(&remembered);
        let wrong = browser.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", "who@x.cn"), ("password", "wrong-password")]).send().await.unwrap();
        assert_eq!(wrong.status(), 401);
        assert!(wrong.text().await.unwrap().contains("wrong e-mail or password"));
    }
}

each_backend! {
    async fn a_visitor_registers_with_the_form_and_errors_keep_the_input(app) {
        let browser = app.browser();
        let html = browser.get(app.url("/register")).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_from(&html);
        let bad = browser
            .post(app.url("/register"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "form@member.cn"), ("password", "long-enough-pw"), ("uscc", "91110000600037341N"), ("name", "表单测试企业"), ("kind", "enterprise"), ("region_code", "320505"), ("flags", "tech_sme")])
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(html.contains("校验位与前 17 位不符"), "the code is named wrong (item 13: not which character would pass)");
        assert!(html.contains("value=\"表单测试企业\"") && html.contains("value=\"tech_sme\" checked"));
        let ok = browser
            .post(app.url("/register"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "form@member.cn"), ("password", "long-enough-pw"), ("uscc", "91110000600037341L"), ("name", "表单测试企业"), ("kind", "enterprise"), ("region_code", "320505"), ("flags", "tech_sme"), ("flags", "high_tech")])
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 303);
        let home = browser.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
        assert!(home.contains("表单测试企业（91110000600037341L）"));
    }
}

each_backend! {
    async fn the_admin_page_creates_and_disables_users(app) {
        let admin_email = "boss@ipoc.cn";
        app.create_user(admin_email, Role::Admin, None).await;
        let browser = app.browser();
        let csrf = csrf_from(&browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
        browser.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", admin_email), ("password", PASSWORD)]).send().await.unwrap();
        let page = browser.get(app.url("/admin/users")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let created = browser
            .post(app.url("/admin/users"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "reviewer@ipoc.cn"), ("password", PASSWORD), ("role", "expert"), ("region_code", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 303);
        let token = app.login("reviewer@ipoc.cn", PASSWORD).await;
        let me: serde_json::Value = app.get("/api/v1/me", Some(&token)).await.json().await.unwrap();
        let id = me["id"].as_i64().unwrap();
        let disabled = browser
            .post(app.url(&format!("/admin/users/{id}")))
            .form(&[("csrf_token", csrf.as_str()), ("version", "1"), ("disabled", "true")])
            .send()
            .await
            .unwrap();
        assert_eq!(disabled.status(), 303);
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status(), 401);
        let invalid = browser
            .post(app.url("/admin/users"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "nope"), ("password", "short"), ("role", "expert")])
            .send()
            .await
            .unwrap();
        assert_eq!(invalid.status(), 422);
        assert!(invalid.text().await.unwrap().contains("value=\"nope\""));
        // a member cannot open the page
        app.create_user("m@x.cn", Role::Member, None).await;
        let member = app.browser();
        let csrf = csrf_from(&member.get(app.url("/login")).send().await.unwrap().text().await.unwrap());
        member.post(app.url("/login")).form(&[("csrf_token", csrf.as_str()), ("email", "m@x.cn"), ("password", PASSWORD)]).send().await.unwrap();
        assert_eq!(member.get(app.url("/admin/users")).send().await.unwrap().status(), 403);
    }
}
