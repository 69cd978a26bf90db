use ipoc::domain::users::Role;
use ipoc_tests::{each_backend, uscc};

each_backend! {
    async fn a_center_is_created_and_kept_from_its_pages(app) {
        let host = app.organization(1, "enterprise", &["leading"]).await;
        app.create_user("staff@center.cn", Role::Center, None).await;
        let (browser, csrf) = app.browser_login("staff@center.cn").await;
        let form = browser.get(app.url("/center")).send().await.unwrap();
        assert_eq!(form.status(), 200);
        assert!(form.text().await.unwrap().contains("新材料"), "the industries list is offered");
        let bad = browser.post(app.url("/center")).form(&[("csrf_token", csrf.as_str()), ("name", "苏州中心"), ("level", "national"), ("industry", "新材料"), ("region_code", "990000"), ("host_uscc", host.as_str())]).send().await.unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(html.contains("value=\"苏州中心\"") && html.contains("99"), "input kept, region error shown");
        let ok = browser.post(app.url("/center")).form(&[("csrf_token", csrf.as_str()), ("name", "苏州中心"), ("level", "national"), ("industry", "新材料"), ("region_code", "320505"), ("host_uscc", host.as_str())]).send().await.unwrap();
        assert_eq!(ok.status(), 303);
        let location = ok.headers()["location"].to_str().unwrap().to_string();
        let page = browser.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("<meter") && page.contains("0.00 万元</a> / 500.00 万元") && page.contains("figure&#x3D;operation_amount"), "progress toward 5,000,000 yuan");
        assert!(page.contains("0</a> / 20"), "progress toward 20 members");

        let deals = format!("{location}/transactions");
        let bad = browser.post(app.url(&deals)).form(&[("csrf_token", csrf.as_str()), ("kind", "license"), ("amount", "1.001"), ("contract_date", "2026-03-01"), ("counterparty_uscc", uscc(5).as_str())]).send().await.unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(html.contains("value=\"1.001\"") && html.contains("两位小数"), "the field's error beside the input kept");
        for (kind, said) in [("", "请选择交易类型"), ("gift", "“gift”不是允许的值")] {
            let refused = browser.post(app.url(&deals)).form(&[("csrf_token", csrf.as_str()), ("kind", kind), ("amount", "12")]).send().await.unwrap();
            assert_eq!(refused.status(), 422, "a choice left open or not offered is the form's error, on its page");
            let html = refused.text().await.unwrap();
            assert!(html.contains(said) && html.contains("value=\"12\""), "{kind}: {said} beside the input kept");
        }
        let good = browser.post(app.url(&deals)).form(&[("csrf_token", csrf.as_str()), ("kind", "license"), ("amount", "2500000"), ("contract_date", "2026-03-01"), ("patent_numbers", "201710601862.3"), ("counterparty_uscc", uscc(5).as_str())]).send().await.unwrap();
        assert_eq!(good.status(), 303);
        let page = browser.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("250.00 万元</a> / 500.00 万元") && page.contains("2,500,000.00"), "amounts grouped for reading");
        assert!(page.contains(&format!("{location}/downloads/transactions.xlsx")), "downloads go through the page's session");
        let csv = browser.get(app.url(&format!("{location}/downloads/transactions.csv"))).send().await.unwrap();
        assert_eq!(csv.status(), 200);
        assert!(csv.text().await.unwrap().contains("2500000"), "the deal in the file");
        assert_eq!(browser.get(app.url(&format!("{location}/downloads/secrets.csv"))).send().await.unwrap().status(), 404);
        let member = browser.post(app.url(&format!("{location}/members"))).form(&[("csrf_token", csrf.as_str()), ("uscc", uscc(7).as_str()), ("name", "新成员"), ("kind", "university"), ("region_code", "320505"), ("joined_on", "")]).send().await.unwrap();
        assert_eq!(member.status(), 303);
        let project = browser.post(app.url(&format!("{location}/projects"))).form(&[("csrf_token", csrf.as_str()), ("kind", "conversion"), ("name", "转化一号"), ("start_date", "2026-01-05"), ("status", "running")]).send().await.unwrap();
        assert_eq!(project.status(), 303);
        let event = browser.post(app.url(&format!("{location}/events"))).form(&[("csrf_token", csrf.as_str()), ("kind", "roadshow"), ("date", "2026-02-01"), ("title", "路演"), ("served_uscc", uscc(7).as_str())]).send().await.unwrap();
        assert_eq!(event.status(), 303);

        let csv = format!("类型,金额(元),合同日期,交易对方统一社会信用代码\n许可,abc,2026-01-01,{}\n", uscc(5));
        let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("deals.csv");
        let form = reqwest::multipart::Form::new().text("csrf_token", csrf.clone()).part("file", part);
        let rejected = browser.post(app.url(&format!("{location}/imports/transactions"))).multipart(form).send().await.unwrap();
        assert_eq!(rejected.status(), 422);
        assert!(rejected.text().await.unwrap().contains("第 2"), "the bad row is listed");
        let no_csrf = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.csv"));
        assert_eq!(browser.post(app.url(&format!("{location}/imports/transactions"))).multipart(no_csrf).send().await.unwrap().status(), 403);
        let template = browser.get(app.url("/import-templates/transactions.xlsx")).send().await.unwrap();
        assert_eq!(&template.bytes().await.unwrap()[..2], b"PK");
        let unknown = browser.post(app.url(&format!("{location}/gifts"))).form(&[("csrf_token", csrf.as_str())]).send().await.unwrap();
        assert_eq!(unknown.status(), 404);
    }
}

each_backend! {
    async fn reviewers_filter_the_centers_list(app) {
        app.center(2, "national", "320505").await;
        app.center(3, "provincial", "110108").await;
        app.create_user("reviewer@cnipa.cn", Role::Cnipa, None).await;
        let (browser, _) = app.browser_login("reviewer@cnipa.cn").await;
        let all = browser.get(app.url("/centers")).send().await.unwrap().text().await.unwrap();
        assert!(all.contains("中心2") && all.contains("中心3"));
        let beijing = browser.get(app.url("/centers?province=11&level=")).send().await.unwrap().text().await.unwrap();
        assert!(!beijing.contains(">中心2<") && beijing.contains(">中心3<"), "{beijing}");
        let by_name = browser.get(app.url(&format!("/centers?q={}", "心2"))).send().await.unwrap().text().await.unwrap();
        assert!(by_name.contains(">中心2<") && !by_name.contains(">中心3<"), "found by part of its name");
        assert!(beijing.contains("href=\"/centers?format=xlsx&amp;province&#x3D;11\""), "the export keeps the filter (= is escaped in the attribute)");
        let csv = browser.get(app.url("/centers?format=csv&province=11")).send().await.unwrap();
        assert_eq!(csv.status(), 200, "the page's own download works with the session cookie");
        let csv = csv.text().await.unwrap();
        assert!(csv.contains("中心3") && !csv.contains("中心2"), "{csv}");
        assert!(csv.contains("省级") && csv.contains("草稿") && !csv.contains("provincial") && !csv.contains("draft"), "levels and states in Chinese: {csv}");
        app.create_user("m@x.cn", Role::Member, None).await;
        let (member, _) = app.browser_login("m@x.cn").await;
        assert_eq!(member.get(app.url("/centers")).send().await.unwrap().status(), 403);
    }
}

/// The centers list sorts by a column both ways, on the API and on the page, whose headers link
/// to the other way round and mark the current one; an unknown column is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_centers_list_sorts_by_its_columns() {
    for backend in ipoc_tests::backends() {
        let app = ipoc_tests::spawn_demo_app(&backend, &[]).await;
        let cnipa = app
            .login("cnipa@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
            .await;
        let names = |body: serde_json::Value| -> Vec<String> {
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect()
        };
        let asc = names(
            app.get("/api/v1/centers?sort=name", Some(&cnipa))
                .await
                .json()
                .await
                .unwrap(),
        );
        let mut sorted = asc.clone();
        sorted.sort();
        assert_eq!(asc, sorted, "by name");
        assert!(asc.len() >= 3);
        let desc = names(
            app.get("/api/v1/centers?sort=name&order=desc", Some(&cnipa))
                .await
                .json()
                .await
                .unwrap(),
        );
        assert_eq!(
            desc,
            asc.iter().rev().cloned().collect::<Vec<_>>(),
            "by name, the other way"
        );
        let by_status: serde_json::Value = app
            .get("/api/v1/centers?sort=status", Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        let statuses: Vec<&str> = by_status["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["status"].as_str().unwrap())
            .collect();
        assert!(statuses.windows(2).all(|w| w[0] <= w[1]), "{statuses:?}");
        let r = app.get("/api/v1/centers?sort=amount", Some(&cnipa)).await;
        assert_eq!(r.status(), 422);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["sort"].is_array(), "{body}");
        let page = app.page_as(&cnipa, "/centers?sort=name&order=desc").await;
        let first_row = page.split("<tbody>").nth(1).unwrap();
        assert!(
            first_row.find(&desc[0]).unwrap() < first_row.find(&desc[1]).unwrap(),
            "the page in the same order"
        );
        let page = page.replace("&#x3D;", "=").replace("&amp;", "&");
        assert!(
            page.contains(
                "href=\"/centers?sort=name&order=asc\" title=\"按此列排序\">中心名称</a> ▼"
            ),
            "the header turns the order round"
        );
        assert!(
            page.contains(
                "href=\"/centers?sort=province&order=asc\" title=\"按此列排序\">省份</a></th>"
            ),
            "another column sorts from the first"
        );
        assert!(
            page.contains("/centers?format=xlsx&sort=name&order=desc"),
            "the download keeps the order"
        );
    }
}
