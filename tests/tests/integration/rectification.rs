//! An unqualified year rectified, and a qualified cycle renewed.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unqualified_year_is_rectified_and_a_qualified_cycle_renews() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(33, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        // a cycle from 2021: reporting years 2022–2024, all overdue on 2026-02-15
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2021-06-01", "reason": "2021 年认定"}),
        )
        .await;
        let decisions = format!("/api/v1/centers/{}/decisions", center.id);
        let rectification = format!("/api/v1/centers/{}/rectification", center.id);
        assert_eq!(
            app.get(&rectification, Some(&center.token)).await.status(),
            404,
            "none yet"
        );
        let evaluate =
            json!({"kind": "cycle_result", "result": "qualified", "reason": "三年考核合格"});
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &evaluate)
                .await
                .status(),
            409,
            "not before the third year's result"
        );

        // an unqualified result opens rectification, due rectification_days (90) later
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "annual_result", "year": 2022, "result": "unqualified"})
            )
            .await
            .status(),
            201
        );
        let opened: Value = app
            .get(&rectification, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                opened["year"].as_i64(),
                opened["deadline"].as_str(),
                opened["status"].as_str()
            ),
            (Some(2022), Some("2026-05-16"), Some("open"))
        );
        let accept = json!({"kind": "rectification", "accepted": true, "reason": "整改到位"});
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &accept)
                .await
                .status(),
            409,
            "nothing filed and the deadline has not passed"
        );
        assert_eq!(
            app.send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&center.token),
                &json!({"report": " "})
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&cnipa),
                &json!({"report": "x"})
            )
            .await
            .status(),
            403,
            "only the staff file it"
        );
        let r = app
            .send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&center.token),
                &json!({"report": "已补充专职运营人员 5 名，完善交易台账。"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "submitted");
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "rectification", "accepted": true})
            )
            .await
            .status(),
            422,
            "a reason is required"
        );
        let (first, second) = tokio::join!(
            app.post_json(&decisions, Some(&cnipa), &accept),
            app.post_json(&decisions, Some(&cnipa), &accept),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "decided once");
        let done: Value = app
            .get(&rectification, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(done["status"], "accepted");

        // the remaining years, then the cycle result: qualified renews from 1 January 2025
        for year in [2023, 2024] {
            assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "annual_result", "year": year, "result": "qualified", "reason": "补报材料齐全"})).await.status(), 201);
        }
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "cycle_result", "result": "qualified"})
            )
            .await
            .status(),
            422,
            "a reason is required"
        );
        let (first, second) = tokio::join!(
            app.post_json(&decisions, Some(&cnipa), &evaluate),
            app.post_json(&decisions, Some(&cnipa), &evaluate),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "evaluated once, one renewal");
        let calendar: Value = app
            .get(
                &format!("/api/v1/centers/{}/reports", center.id),
                Some(&center.token),
            )
            .await
            .json()
            .await
            .unwrap();
        let cycle_two: Vec<(i64, i64)> = calendar
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["cycle"] == 2)
            .map(|r| (r["year"].as_i64().unwrap(), r["cycle"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            cycle_two,
            vec![(2025, 2), (2026, 2), (2027, 2)],
            "the renewed cycle covers the next three years"
        );
        let list: Value = app
            .get(&decisions, Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            vec![
                "annual_result",
                "rectification",
                "annual_result",
                "annual_result",
                "cycle_result"
            ]
        );
    }
}
