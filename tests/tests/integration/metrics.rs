use ipoc::domain::users::Role;
use ipoc_tests::{criterion, each_backend, uscc};
use serde_json::{Value, json};

async fn project(
    app: &ipoc_tests::TestApp,
    center: &ipoc_tests::CenterFixture,
    start: &str,
    status: &str,
) {
    let body = json!({"kind":"conversion","name":"高分子材料转化","start_date":start,"status":status,"patent_numbers":["201710601862.3"],"partner_uscc":[uscc(777)]});
    let r = app
        .post_json(
            &format!("/api/v1/centers/{}/projects", center.id),
            Some(&center.token),
            &body,
        )
        .await;
    assert_eq!(r.status(), 201);
}

async fn member(
    app: &ipoc_tests::TestApp,
    center: &ipoc_tests::CenterFixture,
    n: u64,
    kind: &str,
    joined_on: &str,
) -> Value {
    let body = json!({"organization": {"uscc": uscc(n), "name": format!("成员{n}"), "kind": kind, "region_code": "320505"}, "joined_on": joined_on});
    let r = app
        .post_json(
            &format!("/api/v1/centers/{}/members", center.id),
            Some(&center.token),
            &body,
        )
        .await;
    assert_eq!(r.status(), 201, "member {n}");
    r.json().await.unwrap()
}

each_backend! {
    async fn operation_scale_boundaries(app) {
        let center = app.center(1, "national", "320505").await;
        app.deal(&center, "transfer", "4999999.98", "2025-03-01").await;
        app.deal(&center, "license", "0.01", "2025-12-31").await;
        // outside the year: counts for neither 2025 nor its total
        app.deal(&center, "financing", "100.00", "2024-12-31").await;
        for i in 0..9 {
            project(&app, &center, &format!("2025-0{}-01", i % 9 + 1), "running").await;
        }
        project(&app, &center, "2025-05-01", "planned").await;
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["operation_amount"], "4999999.99");
        assert_eq!(m["amount_by_kind"]["transfer"], "4999999.98");
        assert_eq!(m["amount_by_kind"]["license"], "0.01");
        assert_eq!(m["amount_by_kind"]["financing"], "0.00");
        assert_eq!(m["projects_cumulative"], 9, "planned projects do not count");
        let (passed, detail) = criterion(&m, "operation_scale");
        assert!(!passed);
        assert_eq!(detail, "4,999,999.99 < 5,000,000.00 元; 9 < 10 个项目");
        assert_eq!(m["rulebook_version"], 1);
        assert_eq!(m["as_of"], "2025-12-31");

        app.deal(&center, "capital_contribution", "0.01", "2025-06-30").await;
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["operation_amount"], "5000000.00");
        assert!(criterion(&m, "operation_scale").0, "exactly 5,000,000.00 passes");
    }
}

each_backend! {
    async fn ten_projects_with_no_money_pass(app) {
        let center = app.center(2, "national", "320505").await;
        for status in ["running", "completed", "stopped", "running", "running", "completed", "completed", "stopped", "running", "running"] {
            project(&app, &center, "2024-02-01", status).await;
        }
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["operation_amount"], "0.00");
        assert_eq!(m["projects_cumulative"], 10);
        let (passed, detail) = criterion(&m, "operation_scale");
        assert!(passed, "{detail}");
        let english: Value = app.api.get(app.url(&format!("/api/v1/centers/{}/metrics?year=2025", center.id))).bearer_auth(&center.token).header("Accept-Language", "en").send().await.unwrap().json().await.unwrap();
        assert_eq!(criterion(&english, "operation_scale").1, "0.00 < 5,000,000.00 yuan; 10 ≥ 10 projects");
    }
}

each_backend! {
    async fn alliance_size_counts_enterprises_universities_and_institutes_only(app) {
        let center = app.center(3, "national", "320505").await;
        let kinds = ["enterprise", "university", "research_institute"];
        for n in 0..19u64 {
            member(&app, &center, 100 + n, kinds[(n % 3) as usize], "2024-01-01").await;
        }
        member(&app, &center, 200, "service_agency", "2024-01-01").await;
        member(&app, &center, 201, "industrial_park", "2024-01-01").await;
        // a hospital owns patents but counts only when the rulebook's counting kinds name it
        let hospital = member(&app, &center, 202, "hospital", "2024-01-01").await;
        assert_eq!(hospital["organization"]["kind"], "hospital");
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["alliance_counting_members"], 19);
        assert_eq!(m["alliance_members"], 22);
        let (passed, detail) = criterion(&m, "alliance_size");
        assert!(!passed);
        assert!(detail.starts_with("19 < 20"), "{detail}");

        // a twentieth that left before the year's end does not count; one that stays does
        let leaver = member(&app, &center, 300, "university", "2024-01-01").await;
        let r = app.post_json(&format!("/api/v1/centers/{}/members/{}/withdraw", center.id, leaver["id"]), Some(&center.token), &json!({"left_on":"2025-11-30"})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.metrics(&center, 2025).await["alliance_counting_members"], 19);
        assert_eq!(app.metrics(&center, 2024).await["alliance_counting_members"], 20, "still a member at the end of 2024");
        member(&app, &center, 301, "enterprise", "2025-12-31").await;
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["alliance_counting_members"], 20);
        assert!(criterion(&m, "alliance_size").0);
        // the list's maintained counts agree with the records
        let deleted = member(&app, &center, 302, "enterprise", "2026-01-01").await;
        let r = app.api.delete(app.url(&format!("/api/v1/centers/{}/members/{}?version=1", center.id, deleted["id"]))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let today = app.metrics(&center, 2026).await["alliance_counting_members"].clone();
        let admin = app.admin_token().await;
        let list: Value = app.get("/api/v1/centers", Some(&admin)).await.json().await.unwrap();
        let item = list["items"].as_array().unwrap().iter().find(|c| c["id"] == center.id).unwrap();
        assert_eq!(item["indicators"]["alliance_counting_members"], today);
        assert_eq!(today, 20);
    }
}

each_backend! {
    async fn host_eligibility_says_which_rule_failed(app) {
        let (token, _) = app.login_as(Role::Center).await;
        let plain = app.organization(50, "enterprise", &["tech_sme"]).await;
        let body = json!({"name":"普通企业中心","level":"national","industry":"新材料","region_code":"320505","host_uscc":plain});
        let center: Value = app.post_json("/api/v1/centers", Some(&token), &body).await.json().await.unwrap();
        let m: Value = app.get(&format!("/api/v1/centers/{}/metrics?year=2025", center["id"]), Some(&token)).await.json().await.unwrap();
        let (passed, detail) = criterion(&m, "host_eligible");
        assert!(!passed);
        assert!(detail.contains("不符合国家级中心要求"), "{detail}");
        let park = app.organization(51, "industrial_park", &["national_level"]).await;
        let (token2, _) = app.login_as(Role::Center).await;
        let body = json!({"name":"园区中心","level":"national","industry":"新材料","region_code":"320505","host_uscc":park});
        let center: Value = app.post_json("/api/v1/centers", Some(&token2), &body).await.json().await.unwrap();
        let m: Value = app.get(&format!("/api/v1/centers/{}/metrics?year=2025", center["id"]), Some(&token2)).await.json().await.unwrap();
        assert!(criterion(&m, "host_eligible").0);
    }
}

each_backend! {
    async fn years_are_evaluated_by_the_rules_in_force_and_never_in_the_future(app) {
        let center = app.center(4, "national", "320505").await;
        let r = app.get(&format!("/api/v1/centers/{}/metrics?year=2027", center.id), Some(&center.token)).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["year"].is_array());
        let m = app.metrics(&center, 2026).await;
        assert_eq!(m["as_of"], ipoc_tests::TODAY);
        let admin = app.admin_token().await;
        let r = app.post_json("/api/v1/rulebook", Some(&admin), &json!({"effective_from":"2026-11-21","alliance_threshold":25})).await;
        assert_eq!(r.status(), 201);
        let m = app.metrics(&center, 2026).await;
        assert_eq!(m["rulebook_version"], 2);
        assert!(criterion(&m, "alliance_size").1.contains("< 25"));
        assert_eq!(app.metrics(&center, 2025).await["rulebook_version"], 1, "a past year keeps its rules");
    }
}

each_backend! {
    async fn projects_count_from_the_start_of_the_cycle(app) {
        let center = app.center(5, "national", "320505").await;
        project(&app, &center, "2023-05-01", "completed").await;
        project(&app, &center, "2024-07-01", "running").await;
        project(&app, &center, "2025-02-01", "running").await;
        assert_eq!(app.metrics(&center, 2025).await["projects_cumulative"], 3, "no cycle: every project up to the year's end");
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let r = app.post_json(&format!("/api/v1/centers/{}/cycles", center.id), Some(&cnipa), &json!({"start_date":"2024-06-01","reason":"2024 年认定，系统上线前"})).await;
        assert_eq!(r.status(), 201);
        let cycle: Value = r.json().await.unwrap();
        assert_eq!((cycle["first_year"].as_i64(), cycle["last_year"].as_i64()), (Some(2025), Some(2027)));
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["projects_cumulative"], 2);
        assert_eq!(m["projects_counted_from"], "2024-06-01");
        let centre: Value = app.get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa)).await.json().await.unwrap();
        assert_eq!(centre["status"], "accredited");
        assert_eq!(app.post_json(&format!("/api/v1/centers/{}/cycles", center.id), Some(&center.token), &json!({"start_date":"2028-01-01","reason":"x"})).await.status(), 403);
    }
}

each_backend! {
    async fn tech_smes_served_are_distinct_and_flagged(app) {
        let center = app.center(6, "national", "320505").await;
        let sme = app.organization(60, "enterprise", &["tech_sme"]).await;
        let other = app.organization(61, "enterprise", &[]).await;
        for (date, served) in [("2025-03-01", vec![sme.clone(), other.clone()]), ("2025-04-01", vec![sme.clone()])] {
            let body = json!({"kind":"roadshow","date":date,"title":"新材料专利路演","served_uscc":served});
            assert_eq!(app.post_json(&format!("/api/v1/centers/{}/events", center.id), Some(&center.token), &body).await.status(), 201);
        }
        let unknown = json!({"kind":"matching","date":"2025-04-01","title":"对接会","served_uscc":[uscc(62)]});
        let r: Value = app.post_json(&format!("/api/v1/centers/{}/events", center.id), Some(&center.token), &unknown).await.json().await.unwrap();
        assert!(r["error"]["fields"]["served_uscc[0]"].is_array(), "{r}");
        let list: Value = app.get(&format!("/api/v1/centers/{}/events", center.id), Some(&center.token)).await.json().await.unwrap();
        let served: Vec<usize> = list["items"].as_array().unwrap().iter().map(|e| e["served_uscc"].as_array().unwrap().len()).collect();
        assert_eq!(served, vec![1, 2], "each event lists the organizations it served (latest first)");
        let m = app.metrics(&center, 2025).await;
        assert_eq!(m["tech_smes_served"], 1);
        assert_eq!(m["events_by_kind"]["roadshow"], 2);
    }
}

/// The metrics of `center` for `year` and its list item, both read from the instance at
/// `address`.
async fn figures_on(
    app: &ipoc_tests::TestApp,
    address: &str,
    center: &ipoc_tests::CenterFixture,
    year: i32,
) -> (Value, Value) {
    let get = |path: String| {
        app.api
            .get(format!("{address}{path}"))
            .bearer_auth(&center.token)
            .send()
    };
    let metrics = get(format!("/api/v1/centers/{}/metrics?year={year}", center.id))
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let list: Value = get("/api/v1/centers?per_page=50".into())
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == center.id)
        .expect("the center is listed")
        .clone();
    (metrics.json().await.unwrap(), listed)
}

each_backend! {
    async fn cached_figures_follow_every_change_on_every_instance(app) {
        let center = app.center(7, "national", "320505").await;
        let other = app.another_instance().await;
        let this = app.address.clone();
        // both instances have read (and cached) the figures before each change
        for address in [&this, &other] {
            let (m, listed) = figures_on(&app, address, &center, 2026).await;
            assert_eq!((m["operation_amount"].as_str(), listed["indicators"]["operation_amount"].as_str()), (Some("0.00"), Some("0.00")));
        }
        let ledger = format!("/api/v1/centers/{}", center.id);

        let deal = app.deal(&center, "transfer", "100.00", "2026-03-01").await;
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["operation_amount"].as_str(), listed["indicators"]["operation_amount"].as_str()), (Some("100.00"), Some("100.00")), "a new deal");
        let path = format!("{ledger}/transactions/{}", deal["id"]);
        assert_eq!(app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &json!({"amount":"250.00","version":1})).await.status(), 200);
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["operation_amount"].as_str(), listed["indicators"]["operation_amount"].as_str()), (Some("250.00"), Some("250.00")), "an edited deal");
        let r = app.api.delete(app.url(&format!("{path}?version=2"))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["operation_amount"].as_str(), listed["indicators"]["operation_amount"].as_str()), (Some("0.00"), Some("0.00")), "a deleted deal");

        let csv = format!("kind,amount,contract_date,patent_numbers,counterparty_uscc,contract_no,related_party,note\ntransfer,300,2026-04-01,201710601862.3,{},HT-9,否,\n", uscc(5));
        let r = app.upload(&format!("{ledger}/imports/transactions"), &center.token, "deals.csv", csv.into_bytes()).await;
        assert_eq!(r.status(), 201);
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["operation_amount"].as_str(), listed["indicators"]["operation_amount"].as_str()), (Some("300.00"), Some("300.00")), "an import");

        project(&app, &center, "2025-03-01", "running").await;
        project(&app, &center, "2026-02-01", "running").await;
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["projects_cumulative"].as_i64(), listed["indicators"]["projects_cumulative"].as_i64()), (Some(2), Some(2)), "new projects");
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let r = app.post_json(&format!("{ledger}/cycles"), Some(&cnipa), &json!({"start_date":"2025-06-01","reason":"2025 年认定"})).await;
        assert_eq!(r.status(), 201);
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["projects_cumulative"].as_i64(), listed["indicators"]["projects_cumulative"].as_i64()), (Some(1), Some(1)), "a registered cycle");
        assert_eq!(m["projects_counted_from"], "2025-06-01");
        assert_eq!(listed["status"], "accredited", "the list shows the center's new status");

        let joined = member(&app, &center, 700, "enterprise", "2026-01-05").await;
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["alliance_counting_members"].as_i64(), listed["indicators"]["alliance_counting_members"].as_i64()), (Some(1), Some(1)), "a new member");
        let r = app.post_json(&format!("{ledger}/members/{}/withdraw", joined["id"]), Some(&center.token), &json!({"left_on":"2026-11-01"})).await;
        assert_eq!(r.status(), 200);
        let (m, listed) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!((m["alliance_counting_members"].as_i64(), listed["indicators"]["alliance_counting_members"].as_i64()), (Some(0), Some(0)), "a withdrawal");

        let sme = app.organization(701, "enterprise", &["tech_sme"]).await;
        let body = json!({"kind":"training","date":"2026-05-01","title":"专利培训","served_uscc":[sme.clone()]});
        assert_eq!(app.post_json(&format!("{ledger}/events"), Some(&center.token), &body).await.status(), 201);
        let (m, _) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!(m["tech_smes_served"], 1, "a service event");
        // no route edits an organization yet; the trigger covers the day one does
        let sql = format!("UPDATE organizations SET flag_tech_sme = false WHERE uscc = '{sme}'");
        sea_orm::ConnectionTrait::execute_unprepared(&app.db, &sql).await.unwrap();
        let (m, _) = figures_on(&app, &other, &center, 2026).await;
        assert_eq!(m["tech_smes_served"], 0, "a served organization that is no longer a tech SME");
    }
}
