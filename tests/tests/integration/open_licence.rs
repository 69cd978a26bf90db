//! Open licences over the API: the recorded facts that bar one (licences, pledges, suspensions,
//! the annual fee, the evaluation report, co-owners' consent), each named at once; the
//! declaration making `open_license` an offered mode; exclusive licences refused while it is in
//! force; two declarations sent at once; withdrawal; the end of its term.

use ipoc_tests::{TestApp, each_backend, uscc};
use reqwest::Method;
use serde_json::{Value, json};

/// `method path` with `body` as `token`: the status and the answer.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: &Value,
) -> (u16, Value) {
    let r = app.send_json(method, path, Some(token), body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A pending utility model co-owned with organization 7302, its fee paid only until 2026-11-01.
fn utility_model() -> Value {
    let number = ipoc::domain::identifiers::PatentNumber::from_body("202020601860")
        .unwrap()
        .to_string();
    json!({"application_number": number, "title": "一种光伏组件清洗机器人", "abstract": "沿组件边框行走的清洗装置。", "ipc": ["H02S 40/10"],
           "industry": "新能源", "legal_status": "pending", "application_date": "2020-08-01", "annual_fee_paid_until": "2026-11-01",
           "co_owner_uscc": [uscc(7302)], "offered_modes": ["license"]})
}

/// The terms of a declaration.
fn terms() -> Value {
    json!({"fee_kind": "annual_fee", "fee": "20,000", "payment": "每年 1 月 31 日前支付当年许可使用费", "term_years": 2})
}

each_backend! {
    async fn an_open_licence_is_refused_naming_every_bar_until_the_recorded_facts_allow_it(app) {
        let owner = app.member_of(7301, "university", "机构").await;
        let reader = app.member_of(7303, "enterprise", "机构").await;
        let (status, listed) = send(&app, Method::POST, "/api/v1/patents", &owner, &utility_model()).await;
        assert_eq!((status, listed["patent_type"].as_str()), (201, Some("utility_model")), "{listed}");
        let id = listed["id"].as_i64().unwrap();
        let path = |tail: &str| format!("/api/v1/patents/{id}/{tail}");
        // recorded facts: a sole licence in force, a pledge without consent, a court preservation
        let sole = json!({"kind": "sole", "licensee": "苏州某光伏公司", "from": "2025-01-01", "to": "2027-12-31"});
        let (status, licence) = send(&app, Method::POST, &path("licences"), &owner, &sole).await;
        assert_eq!((status, licence["in_force"].as_bool()), (201, Some(true)), "{licence}");
        let pledge = json!({"pledgee": "某商业银行苏州分行", "from": "2026-03-01"});
        let (status, pledged) = send(&app, Method::POST, &path("pledges"), &owner, &pledge).await;
        assert_eq!((status, pledged["consent"].as_bool()), (201, Some(false)), "{pledged}");
        let held = json!({"reason": "preservation", "from": "2026-10-01"});
        let (status, suspended) = send(&app, Method::POST, &path("suspensions"), &owner, &held).await;
        assert_eq!(status, 201, "{suspended}");
        assert_eq!(send(&app, Method::POST, &path("pledges"), &reader, &pledge).await.0, 403, "a reader records nothing");
        // every bar named at once, in one refusal
        let (status, refused) = send(&app, Method::PUT, &path("open-licence"), &owner, &terms()).await;
        assert_eq!(status, 409, "{refused}");
        let said = refused["error"]["message"].as_str().unwrap();
        for bar in ["尚未授权", "排他许可（被许可人 苏州某光伏公司", "法院财产保全", "年费仅缴至 2026-11-01", "质押给 某商业银行苏州分行", "专利权评价报告", &format!("共有人 {}", uscc(7302))] {
            assert!(said.contains(bar), "{bar} in {said}");
        }
        let (_, rights) = send(&app, Method::GET, &path("open-licence"), &reader, &Value::Null).await;
        assert_eq!(rights["bars"].as_array().map(Vec::len), Some(6), "readers see the bars (consent is asked with a declaration): {rights}");
        // every wrong term named at once
        let wrong = json!({"fee_kind": "royalty_rate", "fee": "120", "payment": "业内最佳的付费方式", "term_years": 30});
        let (status, body) = send(&app, Method::PUT, &path("open-licence"), &owner, &wrong).await;
        assert_eq!(status, 422, "{body}");
        for field in ["fee", "payment", "term_years"] {
            assert!(body["error"]["fields"][field].is_array(), "{field}: {body}");
        }
        let (status, body) = send(&app, Method::POST, &path("licences"), &owner, &json!({"kind": "exclusive", "from": "2026-01-01"})).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["licensee"].is_array() && body["error"]["fields"]["to"].is_array(), "{body}");
        // the facts end, the patent is granted and paid, the report comes: only the consent is missing
        for fact in [&licence, &pledged, &suspended] {
            let end = json!({"to": "2026-11-20"});
            let (status, ended) = send(&app, Method::POST, &path(&format!("facts/{}/end", fact["id"])), &owner, &end).await;
            assert_eq!((status, ended["in_force"].as_bool()), (200, Some(false)), "{ended}");
        }
        let granted = json!({"version": 1, "legal_status": "granted", "grant_date": "2021-05-02", "annual_fee_paid_until": "2027-08-01"});
        assert_eq!(send(&app, Method::PATCH, &format!("/api/v1/patents/{id}"), &owner, &granted).await.0, 200);
        let pdf = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let r = app.upload(&path("evaluation-report"), &owner, "评价报告.pdf", pdf).await;
        assert_eq!(r.status(), 201);
        let (status, refused) = send(&app, Method::PUT, &path("open-licence"), &owner, &terms()).await;
        assert_eq!(status, 409);
        assert!(refused["error"]["message"].as_str().unwrap().contains(&format!("共有人 {}", uscc(7302))), "{refused}");
        // two declarations sent at once: one is in force, the other refused
        let mut consented = terms();
        consented["co_owner_consents"] = json!([uscc(7302)]);
        let declare_at = path("open-licence");
        let (a, b) = tokio::join!(
            send(&app, Method::PUT, &declare_at, &owner, &consented),
            send(&app, Method::PUT, &declare_at, &owner, &consented)
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{} {}", a.1, b.1);
        let declared = if a.0 == 200 { a.1 } else { b.1 };
        assert_eq!((declared["fee"].as_str(), declared["until"].as_str()), (Some("20000.00"), Some("2028-11-20")), "{declared}");
        let (_, rights) = send(&app, Method::GET, &path("open-licence"), &reader, &Value::Null).await;
        assert_eq!(rights["declarations"].as_array().map(Vec::len), Some(1), "one declaration: {rights}");
        // open_license is offered now, found by its filter, kept through a correction
        let (_, seen) = send(&app, Method::GET, &format!("/api/v1/patents/{id}"), &reader, &Value::Null).await;
        assert_eq!(seen["offered_modes"], json!(["license", "open_license"]), "{seen}");
        let page: Value = app.get("/api/v1/patents?open_license=true", Some(&reader)).await.json().await.unwrap();
        assert_eq!(page["total"], 1, "{page}");
        let retitled = json!({"version": seen["version"], "title": "一种光伏组件自动清洗机器人"});
        let (status, body) = send(&app, Method::PATCH, &format!("/api/v1/patents/{id}"), &owner, &retitled).await;
        assert_eq!((status, &body["offered_modes"]), (200, &json!(["license", "open_license"])), "{body}");
        // no exclusive or sole licence while it is in force; ordinary ones are fine
        let exclusive = json!({"kind": "exclusive", "licensee": "某公司", "from": "2026-12-01", "to": "2027-12-01"});
        let (status, body) = send(&app, Method::POST, &path("licences"), &owner, &exclusive).await;
        assert_eq!(status, 409, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("不得登记独占或排他许可"));
        let ordinary = json!({"kind": "ordinary", "licensee": "某公司", "from": "2026-12-01", "to": "2027-12-01"});
        assert_eq!(send(&app, Method::POST, &path("licences"), &owner, &ordinary).await.0, 201);
        // withdrawn: the mode goes, the licences stay; a second withdrawal is refused
        assert_eq!(send(&app, Method::DELETE, &path("open-licence"), &reader, &Value::Null).await.0, 403);
        let (status, ended) = send(&app, Method::DELETE, &path("open-licence"), &owner, &Value::Null).await;
        assert_eq!((status, ended["ended_because"].as_str()), (200, Some("withdrawn")), "{ended}");
        assert_eq!(send(&app, Method::DELETE, &path("open-licence"), &owner, &Value::Null).await.0, 409);
        let (_, seen) = send(&app, Method::GET, &format!("/api/v1/patents/{id}"), &reader, &Value::Null).await;
        assert_eq!(seen["offered_modes"], json!(["license"]));
        let (_, licences) = send(&app, Method::GET, &path("licences"), &reader, &Value::Null).await;
        assert_eq!(licences.as_array().map(Vec::len), Some(2), "{licences}");
        assert_eq!(app.audit_count("listing.open_licence").await, 1);
    }
}

each_backend! {
    async fn an_open_licence_ends_by_itself_when_its_term_runs_out(app) {
        let owner = app.member_of(7311, "research_institute", "机构").await;
        let number = ipoc::domain::identifiers::PatentNumber::from_body("201710601870").unwrap().to_string();
        let invention = json!({"application_number": number, "title": "一种高镍正极材料包覆方法", "abstract": "包覆层降低表面残碱。", "ipc": ["H01M 4/525"],
            "industry": "新材料", "legal_status": "granted", "application_date": "2017-08-01", "grant_date": "2019-04-02", "annual_fee_paid_until": "2027-08-01",
            "offered_modes": ["transfer"]});
        let (_, listed) = send(&app, Method::POST, "/api/v1/patents", &owner, &invention).await;
        let id = listed["id"].as_i64().unwrap();
        let one_year = json!({"fee_kind": "royalty_rate", "fee": "3.5", "payment": "按季度结算", "term_years": 1});
        let (status, declared) = send(&app, Method::PUT, &format!("/api/v1/patents/{id}/open-licence"), &owner, &one_year).await;
        assert_eq!((status, declared["until"].as_str()), (200, Some("2027-11-20")), "{declared}");
        // a day after its last day, an instance's schedule ends it
        let later = app.another_instance_with(&[("IPOC_NOW", "2027-11-21T09:00:00+08:00")]).await;
        let client = reqwest::Client::new();
        let rights: Value = client.get(format!("{later}/api/v1/patents/{id}/open-licence")).bearer_auth(&owner).send().await.unwrap().json().await.unwrap();
        assert!(rights["open_licence"].is_null(), "{rights}");
        assert_eq!(rights["declarations"][0]["ended_because"], "term_ended");
        assert_eq!(rights["declarations"][0]["ended_on"], "2027-11-21");
        let seen: Value = client.get(format!("{later}/api/v1/patents/{id}")).bearer_auth(&owner).send().await.unwrap().json().await.unwrap();
        assert_eq!(seen["offered_modes"], json!(["transfer"]), "{seen}");
        // another patent declared, then lapsed: the declaration ends with it
        let mut second = invention.clone();
        second["application_number"] = json!(ipoc::domain::identifiers::PatentNumber::from_body("201710601871").unwrap().to_string());
        let (_, listed) = send(&app, Method::POST, "/api/v1/patents", &owner, &second).await;
        let id = listed["id"].as_i64().unwrap();
        assert_eq!(send(&app, Method::PUT, &format!("/api/v1/patents/{id}/open-licence"), &owner, &one_year).await.0, 200);
        let (_, seen) = send(&app, Method::GET, &format!("/api/v1/patents/{id}"), &owner, &Value::Null).await;
        let lapsed = json!({"version": seen["version"], "legal_status": "lapsed"});
        assert_eq!(send(&app, Method::PATCH, &format!("/api/v1/patents/{id}"), &owner, &lapsed).await.0, 200);
        let same_day = app.another_instance().await;
        let rights: Value = client.get(format!("{same_day}/api/v1/patents/{id}/open-licence")).bearer_auth(&owner).send().await.unwrap().json().await.unwrap();
        assert!(rights["open_licence"].is_null(), "{rights}");
        assert_eq!(rights["declarations"][0]["ended_because"], "not_in_force");
        let (_, seen) = send(&app, Method::GET, &format!("/api/v1/patents/{id}"), &owner, &Value::Null).await;
        assert_eq!(seen["offered_modes"], json!(["transfer"]), "{seen}");
    }
}
