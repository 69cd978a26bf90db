use ipoc_tests::{each_backend, uscc};
use serde_json::{Value, json};

each_backend! {
    async fn every_figure_links_to_the_records_whose_sum_it_is(app) {
        let center = app.center(71, "national", "320505").await;
        let base = format!("/api/v1/centers/{}", center.id);
        // deals: two kinds in 2025, one related party, one deleted, one in 2024 (not counted)
        app.deal(&center, "transfer", "1000000.00", "2025-02-01").await;
        app.deal(&center, "license", "250000.50", "2025-06-30").await;
        let related = json!({"kind": "license", "amount": "99.50", "contract_date": "2025-12-31", "patent_numbers": ["201710601862.3"], "counterparty_uscc": [uscc(999_998)], "contract_no": "HT-9", "related_party": true});
        assert_eq!(app.post_json(&format!("{base}/transactions"), Some(&center.token), &related).await.status(), 201);
        let gone = app.deal(&center, "financing", "777.00", "2025-03-03").await;
        let deleted = app.api.delete(app.url(&format!("{base}/transactions/{}?version=1", gone["id"]))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(deleted.status(), 200);
        app.deal(&center, "transfer", "5.00", "2024-12-31").await;
        // projects: running and completed count, planned does not
        for (name, status) in [("转化一号", "running"), ("转化二号", "completed"), ("转化三号", "planned")] {
            let body = json!({"kind": "conversion", "name": name, "start_date": "2025-04-01", "status": status, "patent_numbers": [], "partner_uscc": []});
            assert_eq!(app.post_json(&format!("{base}/projects"), Some(&center.token), &body).await.status(), 201);
        }
        // members: a university counts, a service agency is a member but does not count, one left in 2025
        for (n, kind) in [(72, "university"), (73, "service_agency"), (74, "enterprise")] {
            let body = json!({"organization": {"uscc": uscc(n), "name": format!("成员{n}"), "kind": kind, "region_code": "320505"}, "joined_on": "2025-01-05"});
            assert_eq!(app.post_json(&format!("{base}/members"), Some(&center.token), &body).await.status(), 201);
        }
        let members: Value = app.get(&format!("{base}/members"), Some(&center.token)).await.json().await.unwrap();
        let leaver = members["items"].as_array().unwrap().iter().find(|m| m["organization"]["uscc"] == uscc(74).as_str() || m["uscc"] == uscc(74).as_str()).unwrap().clone();
        let r = app.post_json(&format!("{base}/members/{}/withdraw", leaver["id"]), Some(&center.token), &json!({"left_on": "2025-11-30"})).await;
        assert_eq!(r.status(), 200);
        // a tech SME served twice counts once
        let sme = app.organization(75, "enterprise", &["tech_sme"]).await;
        for date in ["2025-03-01", "2025-04-01"] {
            let body = json!({"kind": "roadshow", "date": date, "title": "路演", "served_uscc": [sme.clone()]});
            assert_eq!(app.post_json(&format!("{base}/events"), Some(&center.token), &body).await.status(), 201);
        }

        let metrics = app.metrics(&center, 2025).await;
        let records = |figure: &str| {
            let (app, path, token) = (&app, format!("{base}/metrics/records?year=2025&figure={figure}"), center.token.clone());
            async move {
                let r = app.get(&path, Some(&token)).await;
                assert_eq!(r.status(), 200, "{path}");
                r.json::<Value>().await.unwrap()
            }
        };
        for (figure, value) in [
            ("operation_amount", metrics["operation_amount"].clone()),
            ("transfer", metrics["amount_by_kind"]["transfer"].clone()),
            ("license", metrics["amount_by_kind"]["license"].clone()),
            ("financing", metrics["amount_by_kind"]["financing"].clone()),
            ("related_party_amount", metrics["related_party_amount"].clone()),
            ("transaction_count", metrics["transaction_count"].clone()),
            ("projects_cumulative", metrics["projects_cumulative"].clone()),
            ("alliance_counting_members", metrics["alliance_counting_members"].clone()),
            ("alliance_members", metrics["alliance_members"].clone()),
            ("tech_smes_served", metrics["tech_smes_served"].clone()),
        ] {
            let listed = records(figure).await;
            assert_eq!(listed["sum"], value, "{figure}: the records add up to the figure");
            assert_eq!(listed["as_of"], "2025-12-31");
        }
        // and the records are the right ones
        let deals = records("operation_amount").await;
        assert_eq!(deals["sum"], "1250100.00");
        let amounts: Vec<&str> = deals["records"].as_array().unwrap().iter().map(|d| d["amount"].as_str().unwrap()).collect();
        assert_eq!(amounts, ["1000000.00", "250000.50", "99.50"], "by contract date; the deleted and the 2024 deal left out");
        assert_eq!(records("related_party_amount").await["records"][0]["contract_no"], "HT-9");
        let projects = records("projects_cumulative").await;
        assert_eq!(projects["count"], 2);
        let counting = records("alliance_counting_members").await;
        assert_eq!(counting["records"].as_array().unwrap().iter().map(|m| m["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["university"]);
        assert_eq!(records("alliance_members").await["count"], 2, "the leaver is not counted at year end");
        assert_eq!(records("tech_smes_served").await["records"][0]["uscc"], sme.as_str());
        // a bad figure names the parameter; another center's records do not exist for it
        let r = app.get(&format!("{base}/metrics/records?year=2025&figure=profit"), Some(&center.token)).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["figure"].is_array(), "{body}");
        let other = app.center(76, "national", "320505").await;
        assert_eq!(app.get(&format!("{base}/metrics/records?year=2025&figure=operation_amount"), Some(&other.token)).await.status(), 404);
    }
}
