//! Chinese full-text search of the library and the demands through each instance's index: a
//! labelled handful of patents found by their words, synonyms, traditional characters, IPC
//! prefixes and filters, with highlights and facets; every committed change searchable within
//! 2 s on this instance and on a second one; an index rebuilt from the database when corrupt,
//! without holding up `/health`; demands searched within the caller's visibility.

use std::time::{Duration, Instant};

use ipoc_tests::{TestApp, each_backend};
use serde_json::{Value, json};

/// The labelled patents: (number body, title, abstract, main IPC, industry).
const PATENTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "0701001",
        "一种锂离子电池硅碳负极材料",
        "多孔碳包覆纳米硅，提高首次库伦效率。",
        "H01M 4/36",
        "新材料",
    ),
    (
        "0701002",
        "柔性钙钛矿太阳能电池及其制备方法",
        "低温涂布钙钛矿吸光层，柔性组件可弯折。",
        "H10K 30/40",
        "新能源",
    ),
    (
        "0701003",
        "集成电路封装用高导热绝缘膜",
        "氮化硼填充聚酰亚胺薄膜，导热系数高。",
        "H01L 23/373",
        "新一代信息技术",
    ),
    (
        "0701004",
        "工业机器人用谐波减速器",
        "柔轮齿形优化，传动精度高、回差小。",
        "F16H 49/00",
        "高端装备制造",
    ),
    (
        "0701005",
        "一种耐盐雾石墨烯防腐涂层",
        "改性石墨烯分散于环氧树脂，耐中性盐雾 3000 小时。",
        "C09D 5/08",
        "新材料",
    ),
    (
        "0701006",
        "基于机器视觉的电池极片缺陷检测方法",
        "线阵相机采集极片图像，深度学习识别划痕。",
        "G01N 21/88",
        "新一代信息技术",
    ),
];

/// Lists patent `i` of [`PATENTS`] as `token`: its id.
async fn list(app: &TestApp, token: &str, i: usize) -> i64 {
    let (body, title, text, ipc, industry) = PATENTS[i];
    let number = ipoc::domain::identifiers::PatentNumber::from_body(&format!("20171{body}"))
        .unwrap()
        .to_string();
    let listing = json!({"application_number": number, "title": title, "abstract": text, "ipc": [ipc], "industry": industry,
        "legal_status": "granted", "grant_date": "2021-05-01", "offered_modes": ["transfer"], "maturity": 5 + (i as i32 % 3),
        "contact": {"name": "检索联系人", "phone": "0512-12345678"}});
    let r = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/patents",
            Some(token),
            &listing,
        )
        .await;
    assert_eq!(r.status(), 201, "{title}");
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// `GET base+path` as `token`, retried until `until` holds of the answer (at most 2 s): the
/// answer and how long it took.
async fn search_until(
    base: &str,
    path: &str,
    token: &str,
    until: impl Fn(&Value) -> bool,
) -> (Value, Duration) {
    let (client, started) = (reqwest::Client::new(), Instant::now());
    loop {
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if status == 200 && until(&body) {
            return (body, started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path}: not within 2 s ({status}): {body}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The titles of a page's items, in order.
fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

each_backend! {
    async fn the_library_finds_words_synonyms_traditional_characters_and_ipc_prefixes(app) {
        let owner = app.member_of(7501, "university", "检索机构").await;
        let reader = app.member_of(7502, "enterprise", "检索机构").await;
        let mut ids = Vec::new();
        for i in 0..PATENTS.len() {
            ids.push(list(&app, &owner, i).await);
        }
        let base = app.url("");
        let (_, took) = search_until(&base, "/api/v1/patents?q=缺陷检测", &reader, |p| p["total"] == 1).await;
        assert!(took < Duration::from_secs(2), "the newest listing searchable after {took:?}");
        let first = |q: &'static str, expected: usize| {
            let (base, reader) = (base.clone(), reader.clone());
            async move {
                let (page, _) = search_until(&base, &format!("/api/v1/patents?q={q}"), &reader, |p| p["total"].as_u64() > Some(0)).await;
                assert_eq!(titles(&page)[0], PATENTS[expected].1, "{q}: {page}");
                page
            }
        };
        let battery = first("锂电池", 0).await;
        assert!(battery["also_searched"].as_array().unwrap().contains(&json!("锂离子电池")), "the synonyms searched are shown");
        let marks = &battery["items"][0]["highlights"][0];
        assert_eq!((marks["field"].as_str(), marks["marks"][0].clone()), (Some("title"), json!([2, 7])), "锂离子电池 marked in the title: {marks}");
        first("光伏", 1).await;
        first("芯片", 2).await;
        first("减速机", 3).await;
        first("鋰離子電池", 0).await;
        first("ＦＯＯ 防腐", 4).await;
        let page = first("电池", 0).await;
        assert_eq!(page["total"], 3, "电池 in three titles: {page}");
        assert!(!page.to_string().contains("0512-12345678"), "no contact in a search for another member");
        // IPC prefixes and filters
        let (page, _) = search_until(&base, "/api/v1/patents?ipc=H01", &reader, |_| true).await;
        assert_eq!(page["total"], 2, "H01M and H01L: {page}");
        let (page, _) = search_until(&base, "/api/v1/patents?q=电池&ipc=H01M 4", &reader, |_| true).await;
        assert_eq!(titles(&page), vec![PATENTS[0].1.to_string()]);
        let (page, _) = search_until(&base, "/api/v1/patents?q=电池&industry=新能源", &reader, |_| true).await;
        assert_eq!(titles(&page), vec![PATENTS[1].1.to_string()]);
        let (page, _) = search_until(&base, "/api/v1/patents?q=电池&maturity_min=7&owner_kind=university&province=32", &reader, |_| true).await;
        assert!(titles(&page).iter().all(|t| t != PATENTS[0].1), "maturity 5 left out: {page}");
        let (page, _) = search_until(&base, "/api/v1/patents?q=电池", &reader, |_| true).await;
        let industries = page["facets"]["industry"].as_array().unwrap();
        assert!(industries.contains(&json!({"value": "新材料", "count": 1})) && industries.contains(&json!({"value": "新能源", "count": 1})), "{industries:?}");
        assert_eq!(page["facets"]["owner_kind"], json!([{"value": "university", "count": 3}]));
        for wrong in ["ipc=电池", "owner_kind=castle", "province=江苏", "maturity_min=12", "sort=score"] {
            assert_eq!(app.get(&format!("/api/v1/patents?{wrong}"), Some(&reader)).await.status(), 422, "{wrong}");
        }
        // a withdrawal leaves the search within 2 s; a second instance follows the same log
        let withdraw = json!({"version": 1});
        let path = format!("/api/v1/patents/{}/withdraw", ids[0]);
        assert_eq!(app.send_json(reqwest::Method::POST, &path, Some(&owner), &withdraw).await.status(), 200);
        search_until(&base, "/api/v1/patents?q=锂电池", &reader, |p| p["total"] == 0).await;
        let second = app.another_instance().await;
        search_until(&second, "/api/v1/patents?q=电池", &reader, |p| p["total"] == 2).await;
        let path = format!("/api/v1/patents/{}/relist", ids[0]);
        assert_eq!(app.send_json(reqwest::Method::POST, &path, Some(&owner), &json!({"version": 2})).await.status(), 200);
        let (_, took) = search_until(&second, "/api/v1/patents?q=锂电池", &reader, |p| p["total"] == 1).await;
        assert!(took < Duration::from_secs(2), "the other instance saw the relisting after {took:?}");
    }
}

each_backend! {
    async fn demands_are_searched_within_the_callers_visibility(app) {
        let ours = app.member_of(7601, "enterprise", "检索机构").await;
        let other = app.member_of(7602, "enterprise", "检索机构").await;
        let demand = |title: &str, visibility: &str| json!({"title": title, "description": "产线需要解决极片涂布厚度不均的问题。", "industry": "新材料",
            "keywords": ["涂布"], "wanted_mode": "license", "valid_until": "2027-06-30", "visibility": visibility});
        for (title, visibility) in [("寻求锂电池涂布测厚方案", "alliance"), ("征集锂电池隔膜改性技术", "platform")] {
            assert_eq!(app.send_json(reqwest::Method::POST, "/api/v1/demands", Some(&ours), &demand(title, visibility)).await.status(), 201);
        }
        let base = app.url("");
        let (mine, _) = search_until(&base, "/api/v1/demands?q=锂离子电池", &ours, |p| p["total"] == 2).await;
        assert!(mine["items"][0]["highlights"].as_array().is_some_and(|h| !h.is_empty()), "{mine}");
        let (theirs, _) = search_until(&base, "/api/v1/demands?q=电芯 涂布", &other, |p| p["total"].as_u64() > Some(0)).await;
        assert_eq!(titles(&theirs), vec!["征集锂电池隔膜改性技术".to_string()], "only the platform demand outside the alliance");
        assert_eq!(app.get("/api/v1/demands?q=电池&status=lost", Some(&ours)).await.status(), 422);
    }
}

each_backend! {
    async fn a_corrupt_index_is_rebuilt_at_start_without_holding_up_health(app) {
        let owner = app.member_of(7701, "university", "检索机构").await;
        list(&app, &owner, 4).await;
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("meta.json"), b"{ not an index").unwrap();
        let dir = folder.path().display().to_string();
        let started = Instant::now();
        let second = app.another_instance_with(&[("IPOC_SEARCH_DIR", dir.as_str())]).await;
        let health = reqwest::get(format!("{second}/health")).await.unwrap();
        assert_eq!(health.status(), 200, "health answers at once");
        let (page, _) = search_until(&second, "/api/v1/patents?q=石墨烯", &owner, |p| p["total"] == 1).await;
        assert_eq!(titles(&page), vec![PATENTS[4].1.to_string()], "rebuilt from the database in {:?}", started.elapsed());
        let meta = std::fs::read_to_string(folder.path().join("meta.json")).unwrap();
        assert!(meta.contains("\"segments\""), "a readable index replaced the corrupt one");
    }
}

/// The listing of [`PATENTS`] `i` as the domain's input, owned by the caller.
fn input(i: usize) -> ipoc::domain::market::ListingInput {
    let (body, title, text, ipc, industry) = PATENTS[i];
    let number = ipoc::domain::identifiers::PatentNumber::from_body(&format!("20171{body}"))
        .unwrap()
        .to_string();
    serde_json::from_value(json!({"application_number": number, "title": title, "abstract": text, "ipc": [ipc], "industry": industry,
        "legal_status": "granted", "grant_date": "2021-05-01", "offered_modes": ["license"]})).unwrap()
}

each_backend! {
    async fn a_change_that_commits_after_a_later_one_is_still_searched(app) {
        use sea_orm::TransactionTrait;
        let owner = app.member_of(7801, "university", "检索机构").await;
        let account = ipoc::domain::users::find_by_email(&app.db, "member-7801@example.test").await.unwrap().unwrap();
        let user = ipoc::auth::CurrentUser { id: account.id, email: account.email, role: ipoc::domain::users::Role::Member,
            organization_id: account.organization_id, center_id: None, region_code: None };
        let when = (chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), chrono::Utc::now());
        // a write takes its change id first and commits last
        let slow = app.db.begin().await.unwrap();
        ipoc::domain::market::listings::create(&slow, &user, &input(5), when).await.unwrap();
        let base = app.url("");
        let fast = {
            let (app_url, owner) = (base.clone(), owner.clone());
            let body = serde_json::to_value(input(1)).unwrap();
            tokio::spawn(async move {
                let r = reqwest::Client::new().post(format!("{app_url}/api/v1/patents")).bearer_auth(owner).json(&body).send().await.unwrap();
                r.status().as_u16()
            })
        };
        match &app.backend {
            ipoc_tests::Backend::Postgres(_) => {
                assert_eq!(fast.await.unwrap(), 201, "the later write commits first");
                search_until(&base, "/api/v1/patents?q=钙钛矿", &owner, |p| p["total"] == 1).await;
                let page: Value = app.get("/api/v1/patents?q=视觉", Some(&owner)).await.json().await.unwrap();
                assert_eq!(page["total"], 0, "not searchable before it commits");
            }
            ipoc_tests::Backend::Sqlite => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                assert!(!fast.is_finished(), "SQLite lets one writer in at a time: the later write waits, so ids commit in order");
                slow.commit().await.unwrap();
                assert_eq!(fast.await.unwrap(), 201);
                search_until(&base, "/api/v1/patents?q=视觉", &owner, |p| p["total"] == 1).await;
                return;
            }
        }
        slow.commit().await.unwrap();
        let (_, took) = search_until(&base, "/api/v1/patents?q=视觉", &owner, |p| p["total"] == 1).await;
        assert!(took < Duration::from_secs(2), "the late commit searchable after {took:?}");
    }
}
