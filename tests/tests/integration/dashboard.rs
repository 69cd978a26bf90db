use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

/// The dashboard as `token` reads it on the instance at `address`, with `query`.
async fn dashboard(app: &ipoc_tests::TestApp, address: &str, token: &str, query: &str) -> Value {
    let r = app
        .api
        .get(format!("{address}/api/v1/dashboard?{query}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "dashboard?{query}");
    r.json().await.unwrap()
}

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

fn row<'a>(page: &'a Value, name: &str) -> &'a Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {page}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_every_center_against_its_thresholds_and_follows_every_change() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        // 中心41: Jiangsu, cycle 1 of a 2023 start (2024–2026), its 2024 report never filed
        let late = app.center(41, "national", "320505").await;
        // 中心42: Beijing, cycle 1 of a 2024 start (2025–2027), 6,000,000 yuan this year
        let busy = app.center(42, "provincial", "110105").await;
        // 中心43: Guangdong, not accredited, nothing recorded
        let fresh = app.center(43, "municipal", "440305").await;
        for (center, start) in [(&late, "2023-06-01"), (&busy, "2024-06-01")] {
            let r = app
                .post_json(
                    &format!("/api/v1/centers/{}/cycles", center.id),
                    Some(&cnipa),
                    &json!({"start_date": start, "reason": "既有中心"}),
                )
                .await;
            assert_eq!(r.status(), 201);
        }
        app.deal(&busy, "license", "6000000.00", "2026-01-10").await;
        app.deal(&late, "transfer", "1200000.00", "2025-03-01")
            .await;

        let page = dashboard(&app, &app.address, &cnipa, "").await;
        assert_eq!(page["total"], 3);
        assert_eq!(page["as_of"], "2026-02-15");
        assert_eq!(
            names(&page),
            ["中心41", "中心42", "中心43"],
            "red first, then by the report due soonest"
        );
        let a = row(&page, "中心41");
        assert_eq!(a["light"], "red");
        assert_eq!(
            a["light_reasons"],
            json!([
                "report_overdue",
                "operation_below_threshold",
                "alliance_below_threshold"
            ])
        );
        assert_eq!(
            (a["cycle"].clone(), a["cycle_year"].clone()),
            (json!(1), json!(3))
        );
        assert_eq!(a["report_year"], 2024);
        assert_eq!(a["report_status"], "overdue");
        assert_eq!(a["report_due"], "2025-03-31");
        assert_eq!(a["province"], "江苏省");
        let b = row(&page, "中心42");
        assert_eq!(b["light"], "amber");
        assert_eq!(b["light_reasons"], json!(["alliance_below_threshold"]));
        assert_eq!(b["operation_amount"], "6000000.00");
        assert_eq!(b["operation_threshold"], "5000000.00");
        assert_eq!(b["operation_scale_passed"], true);
        assert_eq!(
            (
                b["projects_cumulative"].clone(),
                b["projects_threshold"].clone()
            ),
            (json!(0), json!(10))
        );
        assert_eq!(
            (
                b["alliance_counting_members"].clone(),
                b["alliance_threshold"].clone()
            ),
            (json!(0), json!(20))
        );
        assert_eq!(
            (b["cycle"].clone(), b["cycle_year"].clone()),
            (json!(1), json!(2))
        );
        assert_eq!(
            (
                b["report_year"].clone(),
                b["report_status"].clone(),
                b["report_due"].clone()
            ),
            (json!(2025), json!("not_due"), json!("2026-03-31"))
        );
        let c = row(&page, "中心43");
        assert_eq!(c["status"], "draft");
        assert_eq!(c["cycle"], Value::Null);
        assert_eq!(c["report_status"], Value::Null);
        assert_eq!(page["lights"], json!({"red": 1, "amber": 2}));

        // filters and sorts on the columns; a bad value names its parameter
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "light=red").await),
            ["中心41"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "province=11").await),
            ["中心42"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "operation=passed").await),
            ["中心42"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "status=draft&level=municipal").await),
            ["中心43"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "report_status=overdue").await),
            ["中心41"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "cycle_year=2").await),
            ["中心42"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "sort=amount&dir=desc").await),
            ["中心42", "中心41", "中心43"]
        );
        assert_eq!(
            names(&dashboard(&app, &app.address, &cnipa, "sort=name&dir=desc").await),
            ["中心43", "中心42", "中心41"]
        );
        let paged = dashboard(&app, &app.address, &cnipa, "sort=name&per_page=2&page=2").await;
        assert_eq!(
            (names(&paged), paged["total"].clone()),
            (vec!["中心43".to_string()], json!(3))
        );
        for (query, field) in [
            ("light=purple", "light"),
            ("sort=colour", "sort"),
            ("operation=maybe", "operation"),
            ("per_page=500", "per_page"),
        ] {
            let r = app
                .get(&format!("/api/v1/dashboard?{query}"), Some(&cnipa))
                .await;
            assert_eq!(r.status(), 422, "{query}");
            let body: Value = r.json().await.unwrap();
            assert!(body["error"]["fields"][field].is_array(), "{query}: {body}");
        }

        // who sees it: a provincial office its province; centers, experts and members never
        let (office, _) = app.office("320000").await;
        assert_eq!(
            names(&dashboard(&app, &app.address, &office, "").await),
            ["中心41"]
        );
        assert_eq!(
            app.get("/api/v1/dashboard", Some(&busy.token))
                .await
                .status(),
            403
        );
        let (member, _) = app.login_as(Role::Member).await;
        assert_eq!(
            app.get("/api/v1/dashboard", Some(&member)).await.status(),
            403
        );
        assert_eq!(app.get("/api/v1/dashboard", None).await.status(), 401);

        // every change shows at once, on every instance, though both have it cached
        let other = app.another_instance().await;
        dashboard(&app, &other, &cnipa, "").await;
        let r = app
            .post_json(
                &format!("/api/v1/centers/{}/decisions", late.id),
                Some(&cnipa),
                &json!({"kind": "annual_result", "year": 2024, "result": "basically_qualified", "reason": "材料补齐"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        app.deal(&fresh, "financing", "700000.00", "2026-02-01")
            .await;
        for address in [app.address.clone(), other.clone()] {
            let page = dashboard(&app, &address, &cnipa, "").await;
            let a = row(&page, "中心41");
            assert_eq!(
                (a["last_result"].clone(), a["last_result_year"].clone()),
                (json!("basically_qualified"), json!(2024))
            );
            assert_eq!(a["report_year"], 2025, "the next report waits now");
            assert_eq!(a["light"], "amber");
            assert_eq!(
                a["light_reasons"],
                json!([
                    "last_result_basically_qualified",
                    "operation_below_threshold",
                    "alliance_below_threshold"
                ])
            );
            assert_eq!(row(&page, "中心43")["operation_amount"], "700000.00");
        }
        let r = app
            .post_json(
                &format!("/api/v1/centers/{}/withdrawal", busy.id),
                Some(&busy.token),
                &json!({"reason": "主办单位调整"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        for address in [app.address.clone(), other.clone()] {
            let page = dashboard(&app, &address, &cnipa, "proposal=withdrawal").await;
            assert_eq!(names(&page), ["中心42"]);
            assert_eq!(
                row(&page, "中心42")["light_reasons"],
                json!(["withdrawal_requested", "alliance_below_threshold"])
            );
        }

        // the whole filtered table as a file, with Chinese headers
        let r = app
            .get("/api/v1/dashboard?format=csv&sort=name", Some(&cnipa))
            .await;
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let text = r.text().await.unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(
            lines[0].contains("本年运营交易额（元）") && lines[0].contains("信号灯"),
            "{}",
            lines[0]
        );
        assert!(
            lines[2].contains("中心42")
                && lines[2].contains("6000000")
                && lines[2].contains("申请退出"),
            "{}",
            lines[2]
        );
        let r = app
            .get("/api/v1/dashboard?format=xlsx&light=red", Some(&cnipa))
            .await;
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.height(), 2, "the header and the one red center");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewers_read_the_dashboard_page_with_its_charts_and_download_it() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let late = app.center(44, "national", "320505").await;
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", late.id),
            Some(&cnipa),
            &json!({"start_date": "2023-06-01", "reason": "既有中心"}),
        )
        .await;
        app.deal(&late, "transfer", "1234567.00", "2025-03-01")
            .await;
        app.center(45, "provincial", "110105").await;
        app.create_user("reviewer@cnipa.gov.cn", Role::Cnipa, None)
            .await;
        let (browser, _) = app.browser_login("reviewer@cnipa.gov.cn").await;

        // empty filters (the form's "all") are ignored; red comes first with its reasons worded
        let r = browser
            .get(app.url("/dashboard?light=&province=&sort="))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        let (first, second) = (html.find("中心44").unwrap(), html.find("中心45").unwrap());
        assert!(first < second, "red before amber");
        assert!(
            html.contains("报告逾期")
                && html.contains("2024 · 逾期")
                && html.contains("第 1 周期第 3 年"),
            "reasons and the waiting report"
        );
        assert!(
            html.contains("0.00</a> / 500.00"),
            "this year's amount against the threshold in 万元"
        );
        assert!(
            html.contains("/dashboard/charts/amount-by-year.svg"),
            "the charts"
        );
        assert!(
            html.contains("/dashboard?format=xlsx"),
            "the download keeps the page's filters"
        );
        let html = browser
            .get(app.url("/dashboard?province=11"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("中心45") && !html.contains("中心44"),
            "filtered"
        );
        assert!(
            html.contains("/dashboard?province&#x3D;11&amp;sort&#x3D;amount&amp;dir&#x3D;asc"),
            "sortable headers keep the filter (= and & escaped in the attribute)"
        );

        // downloads from the page (cookie session), charts as SVG
        let r = browser
            .get(app.url("/dashboard?format=xlsx&light=red"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );
        for chart in ["amount-by-year", "centers-by-result", "amount-by-province"] {
            let r = browser
                .get(app.url(&format!("/dashboard/charts/{chart}.svg")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{chart}");
            assert!(
                r.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with("image/svg+xml")
            );
            let svg = r.text().await.unwrap();
            assert!(svg.contains("<svg") && svg.contains("</svg>"), "{chart}");
            // every text readable at the page's size (the image is drawn at the SVG's own size)
            let sizes: Vec<f64> = svg
                .split("font-size=\"")
                .skip(1)
                .filter_map(|rest| rest.split('"').next()?.trim_end_matches("px").parse().ok())
                .collect();
            assert!(
                !sizes.is_empty() && sizes.iter().all(|&size| size >= 13.0),
                "{chart}: font sizes {sizes:?}"
            );
        }
        // a count of centers has whole steps only
        let counts = browser
            .get(app.url("/dashboard/charts/centers-by-result.svg"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let numbers: Vec<&str> = counts
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next().map(str::trim))
            .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
            .collect();
        assert!(
            !numbers.is_empty() && numbers.iter().all(|n| !n.contains('.')),
            "whole counts: {numbers:?}"
        );
        let svg = browser
            .get(app.url("/dashboard/charts/amount-by-year.svg"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            svg.contains("2025") && svg.contains("转让"),
            "years and kinds labelled"
        );
        let svg = browser
            .get(app.url(&format!("/centers/{}/charts/amount.svg", late.id)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            svg.contains("门槛 500.00 万元"),
            "the threshold line is labelled: {svg}"
        );
        assert_eq!(
            browser
                .get(app.url("/dashboard/charts/pie.svg"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

        // a center's staff has no dashboard
        app.create_user("staff@late.cn", Role::Center, None).await;
        let (staff, _) = app.browser_login("staff@late.cn").await;
        assert_eq!(
            staff
                .get(app.url("/dashboard"))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_data_gives_reviewers_something_to_act_on() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[]).await;
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T04:00:00Z")
            .unwrap()
            .to_utc();
        let seeded = ipoc::seed::demo::seed(&app.db, now).await.unwrap();
        assert!(seeded.reviewed_centers_added);
        let token = app
            .login("cnipa@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
            .await;
        let page = dashboard(&app, &app.address, &token, "").await;
        assert_eq!(page["total"], 4);
        assert_eq!(
            page["lights"],
            json!({"red": 2, "amber": 1, "green": 1}),
            "{page}"
        );
        let wuxi = row(&page, "无锡物联网产业知识产权运营中心（演示）");
        assert_eq!(wuxi["proposals"][0]["kind"], "exit");
        let nanjing = row(&page, "南京生物医药产业知识产权运营中心（演示）");
        assert_eq!(
            (
                nanjing["report_year"].as_i64(),
                nanjing["report_status"].as_str()
            ),
            (Some(2025), Some("overdue"))
        );
        let suzhou = row(&page, "苏州纳米技术产业知识产权运营中心（演示）");
        assert_eq!(
            (
                suzhou["report_waiting_year"].as_i64(),
                suzhou["last_result"].as_str()
            ),
            (Some(2025), Some("qualified"))
        );
        let (browser, _) = app
            .browser_login_with("cnipa@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
            .await;
        let home = browser
            .get(app.url("/home"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("无锡物联网")
                && home.contains("建议退出，待决定")
                && home.contains("年度报告已提交"),
            "cnipa's home lists what waits on it"
        );
        assert!(
            !home.contains("南京生物医药"),
            "a provincial center's result is its province's office's to record"
        );
        let (office, _) = app
            .browser_login_with("local@demo.ipoc.cn", ipoc::seed::demo::DEMO_PASSWORD)
            .await;
        let home = office
            .get(app.url("/home"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("南京生物医药") && home.contains("年度报告逾期，待记录结果"),
            "the provincial office's home"
        );
        assert!(
            !home.contains("无锡物联网"),
            "national centers wait on cnipa, not on the office"
        );
    }
}
