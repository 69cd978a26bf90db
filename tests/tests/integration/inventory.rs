//! Inventories over the API: a file refused whole with every bad cell named, a good one imported,
//! the same file refused the second time, a corrected one updating the rows that changed (named),
//! a center's staff importing for its alliance; a large file in the background (202, its
//! progress, then its result) while another writer goes on.

use std::time::{Duration, Instant};

use ipoc::domain::identifiers::PatentNumber;
use ipoc_tests::{TestApp, each_backend, uscc};
use serde_json::{Value, json};

const HEADERS: &str = "申请号,专利名称,摘要,IPC分类号,所属产业,法律状态,授权日,年费缴至,技术成熟度,转化方式,报价(元),联系人,专利权人统一社会信用代码";

/// A number of year 2019, type 1, sequence `n`.
fn number(n: usize) -> String {
    PatentNumber::from_body(&format!("20191{:07}", 300_000 + n))
        .unwrap()
        .to_string()
}

/// A good row of patent `n` (owner column `owner`, price `price`).
fn row(n: usize, owner: &str, price: u32) -> String {
    format!(
        "{},一种储能电池热管理结构{n},液冷板与相变材料复合的电池包热管理。,H01M 10/613,新材料,有效,2021-05-06,2027-05-06,6,转让；许可,{price},刘老师,{owner}",
        number(n)
    )
}

/// The CSV file of `rows`.
fn csv(rows: &[String]) -> Vec<u8> {
    format!("{HEADERS}\n{}\n", rows.join("\n")).into_bytes()
}

/// Uploads `file` to the import route of `base` as `token`: the status and the answer.
async fn import(
    app: &TestApp,
    base: Option<&str>,
    token: &str,
    name: &str,
    file: Vec<u8>,
) -> (u16, Value) {
    let r = match base {
        None => {
            app.upload("/api/v1/patents/imports", token, name, file)
                .await
        }
        Some(base) => {
            let part = reqwest::multipart::Part::bytes(file).file_name(name.to_string());
            let form = reqwest::multipart::Form::new().part("file", part);
            reqwest::Client::new()
                .post(format!("{base}/api/v1/patents/imports"))
                .bearer_auth(token)
                .multipart(form)
                .send()
                .await
                .unwrap()
        }
    };
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

each_backend! {
    async fn an_inventory_is_imported_whole_or_not_at_all_and_corrected_by_importing_it_again(app) {
        let owner = app.member_of(7401, "university", "机构").await;
        // every bad cell named at once; nothing written
        let mut bad = vec![row(1, "", 500000), row(2, "", 600000), row(3, "", 700000)];
        let right = number(1);
        let wrong = format!("{}{}", &right[..right.len() - 1], if right.ends_with('0') { '1' } else { '0' });
        bad[0] = bad[0].replacen(&right, &wrong, 1);
        bad[1] = bad[1].replace(",新材料,有效,", ",不存在的产业,有时效,");
        bad[2] = bad[2].replace(",6,转让；许可,", ",12,转让；许可,");
        let (status, body) = import(&app, None, &owner, "盘点.csv", csv(&bad)).await;
        assert_eq!(status, 422, "{body}");
        let cells: Vec<(i64, &str)> = body["error"]["rows"].as_array().unwrap().iter().map(|r| (r["row"].as_i64().unwrap(), r["column"].as_str().unwrap())).collect();
        assert!(cells.contains(&(3, "法律状态")), "a word that names no status: {cells:?}");
        let (status, body) = import(&app, None, &owner, "盘点.csv", csv(&[bad[0].clone(), bad[1].replace("有时效", "有效"), bad[2].clone()])).await;
        assert_eq!(status, 422, "{body}");
        let cells: Vec<(i64, &str)> = body["error"]["rows"].as_array().unwrap().iter().map(|r| (r["row"].as_i64().unwrap(), r["column"].as_str().unwrap())).collect();
        for cell in [(2, "申请号"), (3, "所属产业"), (4, "技术成熟度")] {
            assert!(cells.contains(&cell), "{cell:?} in {cells:?}");
        }
        assert_eq!(body["error"]["rows_total"], 3);
        let listed: Value = app.get("/api/v1/patents", Some(&owner)).await.json().await.unwrap();
        assert_eq!(listed["total"], 0, "nothing of a refused file is written");
        // a good file: every row listed at once, the owner's contact kept
        let good = csv(&[row(1, "", 500000), row(2, "", 600000), row(3, "", 700000)]);
        let (status, done) = import(&app, None, &owner, "盘点.csv", good.clone()).await;
        assert_eq!((status, done["state"].as_str(), done["created"].as_i64()), (201, Some("done"), Some(3)), "{done}");
        let listed: Value = app.get("/api/v1/patents?industry=新材料", Some(&owner)).await.json().await.unwrap();
        assert_eq!(listed["total"], 3);
        assert_eq!(listed["items"][0]["contact"]["name"], "刘老师");
        // the same file again: refused; a corrected one updates what changed, and says so
        assert_eq!(import(&app, None, &owner, "盘点-副本.csv", good).await.0, 409);
        let corrected = csv(&[row(1, "", 500000), row(2, "", 650000), row(3, "", 700000).replace("热管理结构3", "热管理结构（改进）3")]);
        let (status, done) = import(&app, None, &owner, "盘点-更正.csv", corrected).await;
        assert_eq!((status, done["created"].as_i64(), done["updated"].as_i64()), (201, Some(0), Some(2)), "{done}");
        let changes: Vec<(i64, Vec<&str>)> = done["changes"].as_array().unwrap().iter()
            .map(|c| (c["row"].as_i64().unwrap(), c["fields"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect())).collect();
        assert_eq!(changes, vec![(3, vec!["asking_price"]), (4, vec!["title"])]);
        // a center's staff import for an organization of its alliance, not for another
        let center = app.center(7410, "national", "320505").await;
        let join = json!({"uscc": uscc(7402), "joined_on": "2025-01-01"});
        app.member_of(7402, "research_institute", "机构").await;
        assert_eq!(app.post_json(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token), &join).await.status(), 201);
        let (status, body) = import(&app, None, &center.token, "代登记.csv", csv(&[row(11, &uscc(7402), 100000), row(12, &uscc(7401), 100000)])).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!((body["error"]["rows"][0]["row"].as_i64(), body["error"]["rows"][0]["column"].as_str()), (Some(3), Some("专利权人统一社会信用代码")), "{body}");
        let (status, body) = import(&app, None, &center.token, "代登记.csv", csv(&[row(11, &uscc(7402), 100000)])).await;
        assert_eq!((status, body["created"].as_i64()), (201, Some(1)), "{body}");
        // the imports are read by their own scope only
        let id = body["id"].as_i64().unwrap();
        assert_eq!(app.get(&format!("/api/v1/imports/{id}"), Some(&center.token)).await.status(), 200);
        assert_eq!(app.get(&format!("/api/v1/imports/{id}"), Some(&owner)).await.status(), 404);
        assert_eq!(app.audit_count("listing.import").await, 3);
    }
}

each_backend! {
    async fn a_large_inventory_runs_in_the_background_while_others_write(app) {
        let owner = app.member_of(7501, "university", "机构").await;
        let other = app.member_of(7502, "enterprise", "机构").await;
        let background = app.another_instance_with(&[("IPOC_IMPORT_SYNC_ROWS", "100")]).await;
        let rows: Vec<String> = (1..=3_000).map(|n| row(1_000 + n, "", 100_000)).collect();
        let single = json!({"application_number": number(9), "title": "一种固态电解质膜", "abstract": "硫化物固态电解质薄膜。", "ipc": ["H01M 10/0562"],
            "industry": "新材料", "legal_status": "pending", "offered_modes": ["license"]});
        // the import and another writer's listing sent at once: neither waits for the other
        let ((status, started), written) = tokio::join!(
            import(&app, Some(&background), &owner, "全部存量.csv", csv(&rows)),
            app.send_json(reqwest::Method::POST, "/api/v1/patents", Some(&other), &single)
        );
        assert_eq!(status, 202, "{started}");
        assert_eq!(written.status(), 201);
        let id = started["import_id"].as_i64().unwrap();
        let client = reqwest::Client::new();
        let status_of = async |base: &str| -> Value {
            client.get(format!("{base}/api/v1/imports/{id}")).bearer_auth(&owner).send().await.unwrap().json().await.unwrap()
        };
        let seen = status_of(&background).await;
        assert_eq!(seen["rows_total"], 3_000, "{seen}");
        // the import's progress, then its result, read on either instance
        let deadline = Instant::now() + Duration::from_secs(120);
        let done = loop {
            let seen = status_of(&app.address).await;
            if seen["state"] != "running" {
                break seen;
            }
            assert!(Instant::now() < deadline, "the import finishes: {seen}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!((done["state"].as_str(), done["created"].as_i64(), done["rows_done"].as_i64()), (Some("done"), Some(3_000), Some(3_000)), "{done}");
        let listed: Value = app.get("/api/v1/patents?per_page=1", Some(&owner)).await.json().await.unwrap();
        assert_eq!(listed["total"], 3_001, "the import and the other write, both");
    }
}
