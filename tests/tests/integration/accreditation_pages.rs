use ipoc::domain::users::Role;
use ipoc_tests::{CenterFixture, PASSWORD, TestApp, each_backend, uscc};
use serde_json::{Value, json};

/// A national center whose staff logs in as `email`, meeting every criterion in 2025.
async fn center_of(app: &TestApp, email: &str) -> CenterFixture {
    let host_uscc = app.organization(21, "enterprise", &["leading"]).await;
    app.create_user(email, Role::Center, None).await;
    let token = app.login(email, PASSWORD).await;
    let r = app.post_json("/api/v1/centers", Some(&token), &json!({"name": "苏州新材料运营中心", "level": "national", "industry": "新材料", "region_code": "320505", "host_uscc": host_uscc})).await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let center = CenterFixture {
        token,
        id,
        host_uscc,
    };
    app.deal(&center, "transfer", "5000000.00", "2025-06-01")
        .await;
    for n in 0..20u64 {
        let body = json!({"organization": {"uscc": uscc(2100 + n), "name": format!("成员{n}"), "kind": "university", "region_code": "320505"}, "joined_on": "2024-01-01"});
        assert_eq!(
            app.post_json(
                &format!("/api/v1/centers/{id}/members"),
                Some(&center.token),
                &body
            )
            .await
            .status(),
            201
        );
    }
    center
}

each_backend! {
    async fn the_application_pages_walk_the_whole_path(app) {
        let center = center_of(&app, "staff@apply.cn").await;
        let (staff, csrf) = app.browser_login("staff@apply.cn").await;
        let start = browser_get(&staff, &app, &format!("/centers/{}/application", center.id)).await;
        assert!(start.contains("硬性条件") && start.contains("5,000,000.00 ≥ 5,000,000.00"), "the live criteria panel: {start}");
        let r = staff.post(app.url(&format!("/centers/{}/application", center.id))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let form = browser_get(&staff, &app, &location).await;
        assert!(form.contains("name=\"narrative_operations\"") && form.contains("保存草稿"), "{form}");

        // an incomplete submission: 422, the text kept, the missing area named beside it
        let version = "1";
        let r = staff.post(app.url(&format!("{location}/submit"))).form(&[("csrf_token", csrf.as_str()), ("version", version), ("narrative_operations", "全年转让许可专利 12 项")]).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("全年转让许可专利 12 项") && html.contains("无可报告"), "{html}");
        let r = staff.post(app.url(&format!("{location}/submit"))).form(&[("csrf_token", csrf.as_str()), ("version", "2"), ("narrative_operations", "全年转让许可专利 12 项"), ("narrative_key_tasks", "承担专项任务"), ("narrative_sme_service", "服务中小企业 40 家"), ("nothing_to_report", "chain_support")]).send().await.unwrap();
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let page = browser_get(&staff, &app, &location).await;
        assert!(page.contains("已提交") && page.contains("提交时冻结"), "{page}");
        let id: i64 = location.rsplit('/').next().unwrap().parse().unwrap();

        // the provincial office's queue, then its recommendation
        app.create_user("office@js.gov.cn", Role::LocalOffice, Some("320000")).await;
        let (office, office_csrf) = app.browser_login("office@js.gov.cn").await;
        let queue = browser_get(&office, &app, "/applications").await;
        assert!(queue.contains("苏州新材料运营中心") && queue.contains(&format!("/applications/{id}")), "{queue}");
        let home = browser_get(&office, &app, "/home").await;
        assert!(home.contains(&format!("/applications/{id}")), "what waits on the office comes first on its home page");
        let r = office.post(app.url(&format!("/applications/{id}/recommend"))).form(&[("csrf_token", office_csrf.as_str()), ("reason", "")]).send().await.unwrap();
        assert_eq!(r.status(), 422, "a reason is required");
        let r = office.post(app.url(&format!("/applications/{id}/recommend"))).form(&[("csrf_token", office_csrf.as_str()), ("reason", "同意推荐")]).send().await.unwrap();
        assert_eq!(r.status(), 303);

        // cnipa assigns three experts from the page
        app.create_user("cnipa@cnipa.gov.cn", Role::Cnipa, None).await;
        let (cnipa, cnipa_csrf) = app.browser_login("cnipa@cnipa.gov.cn").await;
        let mut experts = Vec::new();
        for _ in 0..3 {
            experts.push(app.expert(None).await);
        }
        // an expert of the host's own organization is shown with the reason it cannot be chosen
        let host = app.organization_id(&center.host_uscc).await;
        let (_, conflicted, conflicted_email) = app.expert(Some(host)).await;
        let page = browser_get(&cnipa, &app, &format!("/applications/{id}")).await;
        assert!(page.contains(&format!("name=\"expert_ids\" value=\"{}\"", experts[0].1)) && page.contains(&experts[0].2), "experts offered by e-mail, ticked, not typed");
        let offered = page.split(&conflicted_email).next().unwrap_or_default();
        assert!(offered.ends_with("> ") && offered.contains(&format!("value=\"{conflicted}\" disabled")), "the conflicted expert cannot be ticked");
        assert!(page.contains("专家所在单位是该中心的建设主体"), "the conflict before submitting");
        assert!(page.contains("data-filter=\"#expert-choices\""), "a search box over the experts");
        let mut ticked = vec![("csrf_token".to_string(), cnipa_csrf.clone())];
        ticked.extend(experts.iter().map(|e| ("expert_ids".to_string(), e.1.to_string())));
        let r = cnipa.post(app.url(&format!("/applications/{id}/assign"))).form(&ticked).send().await.unwrap();
        assert_eq!(r.status(), 303);

        // the expert declares, then scores with a live total
        let (expert, expert_csrf) = app.browser_login(&experts[0].2).await;
        let page = browser_get(&expert, &app, &format!("/applications/{id}")).await;
        assert!(page.contains("利益冲突声明") && !page.contains("承担专项任务"), "declaration before reading");
        assert!(!page.contains("value=\"false\" checked") && !page.contains("value=\"true\" checked"), "nothing chosen for the expert");
        let unanswered = expert.post(app.url(&format!("/applications/{id}/conflict"))).form(&[("csrf_token", expert_csrf.as_str()), ("note", "")]).send().await.unwrap();
        assert_eq!(unanswered.status(), 422, "no answer is not \"no conflict\"");
        assert!(unanswered.text().await.unwrap().contains("请选择是否存在利益冲突"));
        let page = browser_get(&expert, &app, &format!("/applications/{id}")).await;
        assert!(page.contains("利益冲突声明") && !page.contains("承担专项任务"), "still to declare");
        let r = expert.post(app.url(&format!("/applications/{id}/conflict"))).form(&[("csrf_token", expert_csrf.as_str()), ("declared_conflict", "false"), ("note", "")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let page = browser_get(&expert, &app, &format!("/applications/{id}")).await;
        assert!(page.contains("承担专项任务") && page.contains("score-total") && page.contains("/static/score.js"), "{page}");
        let scores = |operation: &'static str| vec![("csrf_token", expert_csrf.clone()), ("score_operation_scale", operation.to_string()), ("score_projects", "15".into()), ("score_alliance", "14".into()), ("score_sme_service", "12".into()), ("score_chain_support", "17".into()), ("comment", "规模突出".into())];
        let r = expert.post(app.url(&format!("/applications/{id}/scores"))).form(&scores("45")).send().await.unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("0 至 30"), "the item's range is named");
        let r = expert.post(app.url(&format!("/applications/{id}/scores"))).form(&scores("28")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        for (token, _, _) in &experts[1..] {
            app.post_json(&format!("/api/v1/applications/{id}/conflict"), Some(token), &json!({"declared_conflict": false})).await;
            app.post_json(&format!("/api/v1/applications/{id}/scores"), Some(token), &json!({"items": {"operation_scale": 20, "projects": 10, "alliance": 10, "sme_service": 10, "chain_support": 10}, "comment": "良好"})).await;
        }

        // the decision page: snapshot, every score and conflict record side by side
        let page = browser_get(&cnipa, &app, &format!("/applications/{id}")).await;
        assert!(page.contains("已声明无利益冲突") && !page.contains("declared_none"), "the declaration in words, not its key");
        assert!(page.contains(">86<") && page.contains(">60<") && page.contains("5,000,000.00"), "{page}");
        let r = cnipa.post(app.url(&format!("/applications/{id}/decide"))).form(&[("csrf_token", cnipa_csrf.as_str()), ("outcome", "accredited"), ("reason", "专家评审通过")]).send().await.unwrap();
        assert_eq!(r.status(), 303);
        let public = app.api.get(app.url("/public/centers")).send().await.unwrap();
        assert_eq!(public.status(), 200, "public without login");
        let public = public.text().await.unwrap();
        assert!(public.contains("苏州新材料运营中心") && public.contains("公示中") && public.contains("2026-11-27"), "{public}");
        let script = app.api.get(app.url("/static/score.js")).send().await.unwrap();
        assert!(script.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    }
}

async fn browser_get(browser: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = browser.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.unwrap()
}
