//! What every page shares: error pages that keep the menu and a way back, a language switch that
//! keeps the page, the API document's address, the rulebook's download.

use ipoc::domain::users::Role;
use ipoc_tests::each_backend;

each_backend! {
    async fn an_error_page_keeps_the_menu_names_fields_and_leads_back(app) {
        app.create_user("frame-cnipa@example.cn", Role::Cnipa, None).await;
        let (browser, _) = app.browser_login("frame-cnipa@example.cn").await;
        let missing = browser
            .get(app.url("/centers/99999"))
            .header("referer", app.url("/centers?level=national"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
        let html = missing.text().await.unwrap();
        assert!(html.contains("frame-cnipa@example.cn"), "the header shows who is logged in");
        assert!(html.contains("action=\"/logout\"") && !html.contains("name=\"csrf_token\" value=\"\""), "a working logout form");
        assert!(html.contains("href=\"/centers?level&#x3D;national\"") && html.contains("返回上一页"), "a way back to where the person was");
        assert!(html.contains("href=\"/home\"") && html.contains("返回工作台"));

        let refused = browser.get(app.url("/dashboard?page=0")).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("页码：页码应在 1 到 1000000 之间"), "the field by its label, not its key");
        assert!(!html.contains("page:"), "no raw key");
    }
}

each_backend! {
    async fn the_language_switch_keeps_the_page_and_its_query(app) {
        let page = app.api.get(app.url("/public/centers?q=%E7%89%A9%E8%81%94%E7%BD%91")).send().await.unwrap();
        let html = page.text().await.unwrap();
        assert!(html.contains("href=\"/public/centers?q&#x3D;%E7%89%A9%E8%81%94%E7%BD%91&amp;lang&#x3D;en\""), "the search stays");
        // (= and & are escaped in attributes)
        // the answer to a form: the switch leads to the page the form was on, not to the POST's URL
        let browser = app.browser();
        let login = browser.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
        let csrf = ipoc_tests::csrf_from(&login);
        let refused = browser
            .post(app.url("/login"))
            .header("referer", app.url("/login?next=/dashboard"))
            .form(&[("csrf_token", csrf.as_str()), ("email", "nobody@example.cn"), ("password", "wrong-password")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 401);
        let html = refused.text().await.unwrap();
        assert!(html.contains("href=\"/login?next&#x3D;/dashboard&amp;lang&#x3D;en\""), "back to the form's page in English");
    }
}

each_backend! {
    async fn the_api_document_and_the_rulebook_download_answer_where_people_look(app) {
        let docs = app.api.get(app.url("/api/docs")).send().await.unwrap();
        assert_eq!(docs.status(), 301);
        assert_eq!(docs.headers()["location"], "/api/docs/");
        app.create_user("frame-admin@example.cn", Role::Admin, None).await;
        let (browser, _) = app.browser_login("frame-admin@example.cn").await;
        let page = browser.get(app.url("/rulebook")).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("href=\"/rulebook.json\""), "the page links its own download");
        let json = browser.get(app.url("/rulebook.json")).send().await.unwrap();
        assert_eq!(json.status(), 200);
        let versions: serde_json::Value = json.json().await.unwrap();
        assert_eq!(versions[0]["version"], 1);
        let anonymous = app.api.get(app.url("/rulebook.json")).send().await.unwrap();
        assert_eq!(anonymous.status(), 303, "to the login form");
    }
}

/// Every page below the home says where it is and leads back: breadcrumbs from the home.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_below_the_home_has_breadcrumbs_from_the_home() {
    let app = ipoc_tests::spawn_demo_app(&ipoc_tests::Backend::Sqlite, &[]).await;
    let password = ipoc::seed::demo::DEMO_PASSWORD;
    let pages = [
        (
            "cnipa@demo.ipoc.cn",
            vec![
                "/dashboard",
                "/centers",
                "/centers/2",
                "/centers/2/reports",
                "/centers/2/reports/2025",
                "/centers/2/records?year=2025&figure=operation_amount",
                "/centers/2/transactions",
                "/applications",
                "/rulebook",
            ],
        ),
        ("admin@demo.ipoc.cn", vec!["/admin/users"]),
        (
            "center@demo.ipoc.cn",
            vec![
                "/centers/1/application",
                "/centers/1/projects",
                "/centers/1/events",
            ],
        ),
    ];
    for (email, paths) in pages {
        let token = app.login(email, password).await;
        for path in paths {
            let page = app.page_as(&token, path).await;
            let crumbs = page
                .split("<nav class=\"crumbs\">")
                .nth(1)
                .unwrap_or_default();
            let crumbs = crumbs.split("</nav>").next().unwrap_or_default();
            assert!(
                crumbs.contains("href=\"/home\""),
                "{email} {path}: breadcrumbs from the home"
            );
        }
    }
}

/// The menu of the page `path` as `token` sees it: each entry's label and count, the current one
/// marked with `*`.
async fn menu_of(app: &ipoc_tests::TestApp, token: &str, path: &str) -> Vec<String> {
    let page = app.page_as(token, path).await;
    let nav = page
        .split("<nav>")
        .nth(1)
        .unwrap()
        .split("<span class=\"who\">")
        .next()
        .unwrap();
    nav.split("<a href=")
        .skip(1)
        .map(|entry| {
            let current = if entry.contains("aria-current=\"page\"") {
                "*"
            } else {
                ""
            };
            let text = entry
                .split_once('>')
                .unwrap()
                .1
                .split("</a>")
                .next()
                .unwrap();
            let label = text.split(" <span").next().unwrap().trim();
            let count = text
                .split("\">")
                .nth(1)
                .map(|c| format!(" {}", c.trim_end_matches("</span>")))
                .unwrap_or_default();
            format!("{current}{label}{count}")
        })
        .collect()
}

/// Each role's menu lists its own pages in the order of its work, with the count of what waits
/// beside the page that lists it, and marks the page being shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_has_its_menu_with_the_count_of_what_waits() {
    for backend in ipoc_tests::backends() {
        let app = ipoc_tests::spawn_demo_app(&backend, &[]).await;
        let password = ipoc::seed::demo::DEMO_PASSWORD;
        let login = |email: &'static str| app.login(email, password);
        let cnipa = login("cnipa@demo.ipoc.cn").await;
        // the demo: a report submitted and an exit proposed wait on cnipa
        assert_eq!(
            menu_of(&app, &cnipa, "/home").await,
            [
                "*工作台 2",
                "认定申请",
                "年度评审与退出 2",
                "总览",
                "运营中心",
                "专利资源库",
                "技术需求",
                "规则版本"
            ]
        );
        assert_eq!(
            menu_of(&app, &cnipa, "/centers/2").await[4],
            "*运营中心",
            "the page above marked"
        );
        let local = login("local@demo.ipoc.cn").await;
        assert_eq!(
            menu_of(&app, &local, "/dashboard").await,
            [
                "工作台 1",
                "认定申请",
                "年度评审与退出 1",
                "*总览",
                "运营中心",
                "专利资源库",
                "技术需求",
                "规则版本"
            ]
        );
        let admin = login("admin@demo.ipoc.cn").await;
        assert_eq!(
            menu_of(&app, &admin, "/admin/users").await,
            [
                "工作台",
                "*用户管理",
                "总览",
                "运营中心",
                "专利资源库",
                "技术需求",
                "规则版本"
            ]
        );
        let member = login("member@demo.ipoc.cn").await;
        assert_eq!(
            menu_of(&app, &member, "/home").await,
            ["*工作台", "专利资源库", "技术需求", "规则版本"]
        );
        // a newcomer asks to join the demo center: its staff sees it beside the center's page
        let staff = login("center@demo.ipoc.cn").await;
        assert_eq!(
            menu_of(&app, &staff, "/home").await,
            [
                "*工作台",
                "本中心",
                "认定申请",
                "专利资源库",
                "技术需求",
                "规则版本"
            ]
        );
        let newcomer = serde_json::json!({"email": "menu-newcomer@example.cn", "password": "long-enough-pw", "name": "新成员", "organization": {"uscc": ipoc_tests::uscc(9902), "name": "菜单测试材料有限公司", "kind": "enterprise", "region_code": "320505"}});
        assert_eq!(
            app.post_json("/api/v1/auth/register", None, &newcomer)
                .await
                .status(),
            201
        );
        let newcomer = app
            .login("menu-newcomer@example.cn", "long-enough-pw")
            .await;
        let asked = app
            .post_json(
                "/api/v1/centers/1/join-requests",
                Some(&newcomer),
                &serde_json::json!({"message": "希望加入"}),
            )
            .await;
        assert_eq!(asked.status(), 201);
        assert_eq!(
            menu_of(&app, &staff, "/centers/1").await,
            [
                "工作台 1",
                "*本中心 1",
                "认定申请",
                "专利资源库",
                "技术需求",
                "规则版本"
            ]
        );
        // cnipa assigns an expert to the submitted report: the expert's reviews wait
        let (expert_token, expert_id, _) = app.expert(None).await;
        assert_eq!(
            menu_of(&app, &expert_token, "/home").await,
            ["*工作台", "评审任务", "规则版本"]
        );
        let assign = app
            .post_json(
                "/api/v1/centers/2/reports/2025/assign",
                Some(&cnipa),
                &serde_json::json!({"expert_ids": [expert_id]}),
            )
            .await;
        assert_eq!(assign.status(), 200);
        assert_eq!(
            menu_of(&app, &expert_token, "/home").await,
            ["*工作台 1", "评审任务 1", "规则版本"]
        );
        // English after the switch
        let english = app.page_as(&expert_token, "/home?lang=en").await;
        assert!(
            english.contains(">My reviews <span class=\"count\""),
            "the menu in English"
        );
    }
}

/// The English pages carry English punctuation and titles: no "：", "；" or Chinese title on any of
/// each role's pages (names in the data may stay Chinese).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_pages_have_english_titles_and_punctuation() {
    let app = ipoc_tests::spawn_demo_app(&ipoc_tests::Backend::Sqlite, &[]).await;
    let password = ipoc::seed::demo::DEMO_PASSWORD;
    let pages = [
        (
            "cnipa@demo.ipoc.cn",
            vec![
                "/home",
                "/dashboard",
                "/centers",
                "/centers/2",
                "/centers/3",
                "/centers/2/reports",
                "/centers/2/reports/2025",
                "/centers/2/records?year=2025&figure=operation_amount",
                "/centers/2/transactions",
                "/applications",
                "/rulebook",
            ],
        ),
        ("admin@demo.ipoc.cn", vec!["/home", "/admin/users"]),
        ("local@demo.ipoc.cn", vec!["/home", "/dashboard"]),
        ("expert@demo.ipoc.cn", vec!["/home"]),
        ("member@demo.ipoc.cn", vec!["/home"]),
        (
            "center@demo.ipoc.cn",
            vec![
                "/home",
                "/centers/1",
                "/centers/1/application",
                "/centers/1/projects",
                "/centers/1/events",
                "/centers/1/reports",
            ],
        ),
    ];
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for (email, paths) in pages {
        let token = app.login(email, password).await;
        for path in paths {
            let sep = if path.contains('?') { '&' } else { '?' };
            let r = app
                .api
                .get(app.url(&format!("{path}{sep}lang=en")))
                .header("Cookie", format!("ipoc_session={token}"))
                .send()
                .await
                .unwrap();
            let final_url = r.url().to_string();
            let html = r.text().await.unwrap();
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_default();
            assert!(
                !title.chars().any(cjk),
                "{email} {final_url}: title {title}"
            );
            let text: String = html
                .split('<')
                .map(|part| part.split_once('>').map_or(part, |(_, text)| text))
                .collect();
            for mark in ['：', '；'] {
                assert!(
                    !text.contains(mark),
                    "{email} {final_url}: “{mark}” in {}",
                    text.split(mark)
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .rev()
                        .take(80)
                        .collect::<String>()
                        .chars()
                        .rev()
                        .collect::<String>()
                );
            }
        }
    }
}
