//! The conversion resource library's listings over the API: who lists, what is checked, who
//! sees a listing's contact, corrections at a version, withdrawal and relisting.

use ipoc_tests::{TestApp, each_backend, uscc};
use serde_json::{Value, json};

/// A granted invention listing with a contact, numbered by `body` (seven digits after 2017 1).
fn listing(body: &str) -> Value {
    let number = ipoc::domain::identifiers::PatentNumber::from_body(&format!("20171{body}"))
        .unwrap()
        .to_string();
    json!({"application_number": number, "title": "一种锂离子电池硅碳负极材料", "abstract": "提高首次库伦效率的硅碳复合负极。", "ipc": ["H01M 4/36", "H01M 10/0525"],
           "industry": "新材料", "legal_status": "granted", "application_date": "2017-08-01", "grant_date": "2020-03-10", "annual_fee_paid_until": "2027-08-01",
           "offered_modes": ["transfer", "license"], "maturity": 6, "asking_price": "800,000", "inventors": ["张三"],
           "contact": {"name": "王老师", "phone": "0512-65880000", "email": "tt@univ.example.cn"}})
}

/// `method path` with `body` as `token`: the status and the answer.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
) -> (u16, Value) {
    let r = app.send_json(method, path, Some(token), body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

each_backend! {
    async fn owners_list_patents_and_only_they_and_their_centers_see_the_contact(app) {
        let university = app.member_of(7001, "university", "机构").await;
        let enterprise = app.member_of(7002, "enterprise", "机构").await;
        let park = app.member_of(7003, "industrial_park", "机构").await;
        let post = reqwest::Method::POST;
        let (status, listed) = send(&app, post.clone(), "/api/v1/patents", &university, &listing("0601860")).await;
        assert_eq!(status, 201, "{listed}");
        assert_eq!((listed["patent_type"].as_str(), listed["status"].as_str(), listed["asking_price"].as_str()), (Some("invention"), Some("listed"), Some("800000.00")));
        assert_eq!(listed["owner"]["uscc"], uscc(7001), "the caller's own organization by default");
        assert_eq!(listed["contact"]["name"], "王老师", "the owner sees its contact");
        let id = listed["id"].as_i64().unwrap();
        // another member reads the listing, not its contact (nor in the list)
        let seen: Value = app.get(&format!("/api/v1/patents/{id}"), Some(&enterprise)).await.json().await.unwrap();
        assert_eq!(seen["title"], "一种锂离子电池硅碳负极材料");
        assert!(seen["contact"].is_null(), "{seen}");
        let page: Value = app.get("/api/v1/patents?industry=新材料&mode=license", Some(&enterprise)).await.json().await.unwrap();
        assert_eq!(page["total"], 1);
        assert!(page["items"][0]["contact"].is_null() && !page.to_string().contains("0512-65880000"), "no contact in any list");
        // a second live listing of the number: 409; a park does not own what it lists
        assert_eq!(send(&app, post.clone(), "/api/v1/patents", &enterprise, &listing("0601860")).await.0, 409);
        assert_eq!(send(&app, post.clone(), "/api/v1/patents", &park, &listing("0601861")).await.0, 403);
        // a member names only its own organization as the owner
        let mut other = listing("0601862");
        other["owner_uscc"] = json!(uscc(7001));
        let (status, body) = send(&app, post.clone(), "/api/v1/patents", &enterprise, &other).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["owner_uscc"].is_array(), "{body}");
        // a center's staff list for an organization of its alliance, and see its contact
        let center = app.center(7010, "national", "320505").await;
        let join = json!({"uscc": uscc(7002), "joined_on": "2025-01-01"});
        assert_eq!(app.post_json(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token), &join).await.status(), 201);
        let mut for_member = listing("0601863");
        for_member["owner_uscc"] = json!(uscc(7002));
        let (status, body) = send(&app, post.clone(), "/api/v1/patents", &center.token, &for_member).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["owner"]["uscc"], uscc(7002));
        let owned: Value = app.get(&format!("/api/v1/patents/{}", body["id"]), Some(&enterprise)).await.json().await.unwrap();
        assert_eq!(owned["contact"]["name"], "王老师", "the owner sees the contact its center wrote");
        let mut outside = listing("0601864");
        outside["owner_uscc"] = json!(uscc(7001));
        let (status, body) = send(&app, post.clone(), "/api/v1/patents", &center.token, &outside).await;
        assert_eq!((status, body["error"]["fields"]["owner_uscc"].is_array()), (422, true), "not of its alliance: {body}");
        assert_eq!(app.audit_count("listing.create").await, 2);
        // the library's download: every listing found, in Chinese, never a contact (not even the owner's)
        for token in [&university, &enterprise] {
            let csv = app.page_as(token, "/patents?format=csv&industry=新材料").await;
            assert!(csv.contains("申请号") && csv.contains("一种锂离子电池硅碳负极材料") && csv.contains("有效（已授权）"), "{csv}");
            assert!(!csv.contains("王老师") && !csv.contains("0512-65880000") && !csv.contains("tt@univ"), "no contact in a download");
        }
    }
}

each_backend! {
    async fn every_wrong_field_of_a_listing_is_named_at_once(app) {
        let university = app.member_of(7101, "hospital", "机构").await;
        let mut wrong = listing("0601860");
        wrong["application_number"] = json!("201710601862.4");
        wrong["ipc"] = json!(["H01M 4/36", "电池"]);
        wrong["industry"] = json!("不存在的产业");
        wrong["maturity"] = json!(12);
        wrong["offered_modes"] = json!(["open_license"]);
        wrong["legal_status"] = json!("pending");
        wrong["asking_price"] = json!("abc");
        wrong["contact"] = json!({"name": "", "email": "no-at-sign"});
        let (status, body) = send(&app, reqwest::Method::POST, "/api/v1/patents", &university, &wrong).await;
        assert_eq!(status, 422);
        let fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        for field in ["application_number", "ipc[1]", "industry", "maturity", "offered_modes", "grant_date", "asking_price", "contact.name", "contact.email"] {
            assert!(fields.contains(&field), "{field} named: {fields:?}");
        }
        let said = body["error"]["fields"]["offered_modes"][0].as_str().unwrap();
        assert!(said.contains("开放许可声明"), "{said}");
        // a query parameter the library does not know is named, not ignored
        let r = app.get("/api/v1/patents?sort=newest", Some(&university)).await;
        assert_eq!(r.status(), 422);
        assert_eq!(app.get("/api/v1/patents", Some(&university)).await.json::<Value>().await.unwrap()["total"], 0, "nothing refused was kept");
    }
}

each_backend! {
    async fn listings_are_corrected_at_their_version_withdrawn_and_relisted(app) {
        let owner = app.member_of(7201, "research_institute", "机构").await;
        let reader = app.member_of(7202, "enterprise", "机构").await;
        let (_, listed) = send(&app, reqwest::Method::POST, "/api/v1/patents", &owner, &listing("0601860")).await;
        let id = listed["id"].as_i64().unwrap();
        let path = format!("/api/v1/patents/{id}");
        let patch = reqwest::Method::PATCH;
        assert_eq!(send(&app, patch.clone(), &path, &reader, &json!({"version": 1, "title": "改"})).await.0, 403, "a reader does not correct");
        let (status, body) = send(&app, patch.clone(), &path, &owner, &json!({"version": 1, "asking_price": "900000.00"})).await;
        assert_eq!((status, body["asking_price"].as_str(), body["version"].as_i64()), (200, Some("900000.00"), Some(2)), "{body}");
        assert_eq!(body["title"], "一种锂离子电池硅碳负极材料", "the rest kept");
        let (status, body) = send(&app, patch.clone(), &path, &owner, &json!({"version": 1, "maturity": 7})).await;
        assert_eq!(status, 409, "a stale version: {body}");
        assert_eq!(send(&app, patch.clone(), &path, &owner, &json!({"version": 2, "application_number": "201810123456.5"})).await.0, 422);
        // lapsed: it leaves the library's default list, found when asked for
        let (status, body) = send(&app, patch.clone(), &path, &owner, &json!({"version": 2, "legal_status": "lapsed"})).await;
        assert_eq!((status, body["legal_status_since"].as_str()), (200, Some(ipoc_tests::TODAY)), "{body}");
        assert_eq!(app.get("/api/v1/patents", Some(&reader)).await.json::<Value>().await.unwrap()["total"], 0);
        assert_eq!(app.get("/api/v1/patents?legal_status=lapsed", Some(&reader)).await.json::<Value>().await.unwrap()["total"], 1);
        // withdrawn: gone for others, kept for its owner; relisted at its version
        let post = reqwest::Method::POST;
        let (status, body) = send(&app, post.clone(), &format!("{path}/withdraw"), &owner, &json!({"version": 3})).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("withdrawn")), "{body}");
        assert_eq!(app.get(&path, Some(&reader)).await.status(), 404);
        assert_eq!(app.get("/api/v1/patents?status=withdrawn&legal_status=lapsed", Some(&owner)).await.json::<Value>().await.unwrap()["total"], 1);
        assert_eq!(send(&app, post.clone(), &format!("{path}/withdraw"), &owner, &json!({"version": 4})).await.0, 409, "already withdrawn");
        // another owner lists the same number meanwhile: relisting is refused
        let (status, _) = send(&app, post.clone(), "/api/v1/patents", &reader, &listing("0601860")).await;
        assert_eq!(status, 201);
        let (status, body) = send(&app, post.clone(), &format!("{path}/relist"), &owner, &json!({"version": 4})).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(app.audit_count("listing.withdraw").await, 1);
    }
}

each_backend! {
    async fn enterprises_evaluate_listings_and_the_owner_reads_each_evaluation(app) {
        let owner = app.member_of(7301, "university", "机构").await;
        let first = app.member_of(7302, "enterprise", "机构").await;
        let second = app.member_of(7303, "enterprise", "机构").await;
        let institute = app.member_of(7304, "research_institute", "机构").await;
        let (_, listed) = send(&app, reqwest::Method::POST, "/api/v1/patents", &owner, &listing("0601860")).await;
        let path = format!("/api/v1/patents/{}/evaluations", listed["id"]);
        let post = reqwest::Method::POST;
        let (status, body) = send(&app, post.clone(), &path, &first, &json!({"improvement_needs": "x"})).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["prospect"].is_array() && body["error"]["fields"]["intent"].is_array(), "both named: {body}");
        let nameless = json!({"prospect": 4, "intent": "license", "contact": {"name": "", "email": "no-at-sign"}});
        let (status, body) = send(&app, post.clone(), &path, &first, &nameless).await;
        assert_eq!(status, 422, "{body}");
        assert!(body["error"]["fields"]["contact.name"].is_array() && body["error"]["fields"]["contact.email"].is_array(), "the contact's fields named: {body}");
        let evaluation = json!({"prospect": 4, "improvement_needs": "需提高首效至 90% 以上", "intent": "license",
                                "contact": {"name": "周经理", "phone": "0512-66001122", "email": "zhou@firm.example.cn"}});
        assert_eq!(send(&app, post.clone(), &path, &first, &evaluation).await.0, 201);
        assert_eq!(send(&app, post.clone(), &path, &first, &evaluation).await.0, 409, "one evaluation per enterprise");
        assert_eq!(send(&app, post.clone(), &path, &second, &json!({"prospect": 3, "intent": "none"})).await.0, 201);
        assert_eq!(send(&app, post.clone(), &path, &institute, &evaluation).await.0, 403, "enterprises evaluate");
        assert_eq!(send(&app, post.clone(), &path, &owner, &evaluation).await.0, 403, "not one's own");
        // the owner reads each; an enterprise its own; both the count and the average
        let seen: Value = app.get(&path, Some(&owner)).await.json().await.unwrap();
        assert_eq!((seen["count"].as_i64(), seen["average_prospect"].as_str(), seen["items"].as_array().map(Vec::len)), (Some(2), Some("3.5"), Some(2)), "{seen}");
        let own: Value = app.get(&path, Some(&second)).await.json().await.unwrap();
        assert_eq!((own["items"].as_array().map(Vec::len), own["mine"]["prospect"].as_i64()), (Some(1), Some(3)), "{own}");
        let other: Value = app.get(&path, Some(&institute)).await.json().await.unwrap();
        assert!(other["items"].as_array().unwrap().is_empty() && other["count"] == 2, "others see the count: {other}");
        assert!(!other.to_string().contains("首效"), "nor anyone's text");
        assert!(seen.to_string().contains("周经理") && !own.to_string().contains("周经理"), "the owner reads the evaluator's contact, another enterprise does not");
        assert!(!other.to_string().contains("周经理") && !other.to_string().contains("0512-66001122"), "nobody else does");
        // the enterprise corrects its own at its version
        let mine = format!("{path}/mine");
        let put = reqwest::Method::PUT;
        let (status, body) = send(&app, put.clone(), &mine, &first, &json!({"version": 1, "prospect": 5, "improvement_needs": "", "intent": "transfer"})).await;
        assert_eq!((status, body["version"].as_i64(), body["intent"].as_str()), (200, Some(2), Some("transfer")), "{body}");
        assert_eq!(send(&app, put.clone(), &mine, &first, &json!({"version": 1, "prospect": 2, "intent": "none"})).await.0, 409, "stale");
        assert_eq!(send(&app, put, &mine, &institute, &json!({"version": 1, "prospect": 2, "intent": "none"})).await.0, 403);
    }
}
