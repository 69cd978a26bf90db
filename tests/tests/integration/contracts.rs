//! One contract, one deal: a contract number is unique among the live deals of its center
//! (compared without case, width or spaces) — on the API, in edits, in imports, when two requests
//! arrive at once — and a file already imported is not imported again while its deals count.

use ipoc_tests::{
    CenterFixture, FreshDatabase, TestApp, backends, each_backend, test_settings, uscc,
};
use migration::{Migrator, MigratorTrait};
use serde_json::{Value, json};

fn deal(number: &str) -> Value {
    json!({"kind": "license", "amount": "1000.00", "contract_date": "2025-06-30",
           "counterparty_uscc": [uscc(5)], "contract_no": number})
}

async fn post_deal(app: &TestApp, center: &CenterFixture, number: &str) -> reqwest::Response {
    let path = format!("/api/v1/centers/{}/transactions", center.id);
    app.post_json(&path, Some(&center.token), &deal(number))
        .await
}

async fn live_deals(app: &TestApp, center: &CenterFixture) -> Value {
    let path = format!("/api/v1/centers/{}/transactions?per_page=200", center.id);
    app.get(&path, Some(&center.token))
        .await
        .json()
        .await
        .unwrap()
}

each_backend! {
    async fn a_contract_number_is_recorded_once_per_center(app) {
        let center = app.center(1, "national", "320505").await;
        let first: Value = post_deal(&app, &center, "HT-2026-001").await.json().await.unwrap();
        // the same number as people type it: another case, full width, spaces
        for written in ["ht-2026-001", "ＨＴ－２０２６－００１", " HT-2026 -001 "] {
            let r = post_deal(&app, &center, written).await;
            assert_eq!(r.status(), 422, "{written}");
            let body: Value = r.json().await.unwrap();
            let message = body["error"]["fields"]["contract_no"][0].as_str().unwrap().to_string();
            assert!(message.contains(&format!("编号 {}", first["id"])), "names the deal: {message}");
        }
        // another center's number is its own
        let other = app.center(2, "national", "320505").await;
        assert_eq!(post_deal(&app, &other, "HT-2026-001").await.status(), 201);
        // an edit onto a used number is refused too
        let second: Value = post_deal(&app, &center, "HT-2026-002").await.json().await.unwrap();
        let path = format!("/api/v1/centers/{}/transactions/{}", center.id, second["id"]);
        let edit = json!({"contract_no": "ht-2026-001", "version": 1});
        let r = app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &edit).await;
        assert_eq!(r.status(), 422);
        // a deal deleted as entered by mistake frees its number
        let path = format!("/api/v1/centers/{}/transactions/{}?version=1", center.id, first["id"]);
        let deleted = app.api.delete(app.url(&path)).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(deleted.status(), 200);
        assert_eq!(post_deal(&app, &center, "ht-2026-001").await.status(), 201);
        assert_eq!(live_deals(&app, &center).await["total"], 2);
    }
}

each_backend! {
    async fn deals_with_one_contract_number_sent_at_once_record_one(app) {
        let center = app.center(3, "national", "320505").await;
        let sent = (0..6).map(|i| {
            let number = if i % 2 == 0 { "HT-9" } else { "ht-9" };
            post_deal(&app, &center, number)
        });
        let answers: Vec<u16> = futures_util::future::join_all(sent).await.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(answers.iter().filter(|s| **s == 201).count(), 1, "{answers:?}");
        assert_eq!(answers.iter().filter(|s| **s == 422).count(), 5, "{answers:?}");
        assert_eq!(live_deals(&app, &center).await["total"], 1);
    }
}

fn file(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut text = String::from("类型,金额(元),合同日期,交易对方统一社会信用代码,合同编号\n");
    for (amount, number) in rows {
        text.push_str(&format!("许可,{amount},2025-03-15,{},{number}\n", uscc(5)));
    }
    text.into_bytes()
}

each_backend! {
    async fn an_import_reports_every_repeated_contract_number_at_once(app) {
        let center = app.center(4, "national", "320505").await;
        let used: Value = post_deal(&app, &center, "HT-7").await.json().await.unwrap();
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let rows = [("100", "HT-1"), ("100", "ht-1"), ("12.345", "HT-2"), ("100", "ＨＴ－７")];
        let r = app.upload(&path, &center.token, "deals.csv", file(&rows)).await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        let found: Vec<(u64, String)> = body["error"]["rows"].as_array().unwrap().iter()
            .map(|e| (e["row"].as_u64().unwrap(), e["message"].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(found.len(), 3, "every bad row in one answer: {found:?}");
        assert!(found[0].0 == 3 && found[0].1.contains("第 2 行"), "{found:?}");
        assert_eq!(found[1].0, 4, "{found:?}");
        assert!(found[2].0 == 5 && found[2].1.contains(&format!("编号 {}", used["id"])), "{found:?}");
        assert_eq!(live_deals(&app, &center).await["total"], 1, "nothing written");
    }
}

each_backend! {
    async fn a_file_imported_once_is_refused_again_until_its_deals_are_deleted(app) {
        let center = app.center(5, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let bytes = file(&[("100", ""), ("200", "")]);
        let r = app.upload(&path, &center.token, "deals.csv", bytes.clone()).await;
        assert_eq!(r.status(), 201);
        let again = app.upload(&path, &center.token, "again.csv", bytes.clone()).await;
        assert_eq!(again.status(), 409);
        let body: Value = again.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        let day = message.split("已于 ").nth(1).and_then(|rest| rest.get(..10)).unwrap_or_default();
        assert!(chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok(), "the day of the first import: {message}");
        assert!(message.contains("导入（2 行）"), "{message}");
        assert_eq!(live_deals(&app, &center).await["total"], 2, "not doubled");
        for d in live_deals(&app, &center).await["items"].as_array().unwrap() {
            let path = format!("/api/v1/centers/{}/transactions/{}?version={}", center.id, d["id"], d["version"]);
            let r = app.api.delete(app.url(&path)).bearer_auth(&center.token).send().await.unwrap();
            assert_eq!(r.status(), 200);
        }
        let r = app.upload(&path, &center.token, "deals.csv", bytes).await;
        assert_eq!(r.status(), 201, "once its deals are all deleted, the file may come again");
    }
}

/// Numbers already used twice before the unique index existed are reported, not failed on: the
/// first deal keeps its key, the later one is left without one, one audit row lists them; the
/// index then refuses a third.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_reports_contract_numbers_already_used_twice() {
    use sea_orm::{ConnectionTrait, Statement};
    for backend in backends() {
        let database = FreshDatabase::create(&backend).await;
        let settings = test_settings(&database, &[("IPOC_DB_MAX_CONNECTIONS", "1")]);
        let db = ipoc::db::connect(&settings).await.unwrap();
        let before = Migrator::migrations()
            .iter()
            .position(|m| m.name() == "m20261207_000034_unique_contract_numbers")
            .unwrap() as u32;
        Migrator::up(&db, Some(before)).await.unwrap();
        let sql = |s: &str| Statement::from_string(db.get_database_backend(), s);
        let deal = |number: &str, deleted: &str| {
            format!(
                "INSERT INTO transactions (center_id, kind, amount_fen, contract_date, counterparty_uscc, contract_no, related_party, deleted_at, version, created_at, updated_at) \
             VALUES (1, 'license', 100, '2025-01-05', '[]', '{number}', false, {deleted}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        };
        for statement in [
            "INSERT INTO organizations (uscc, name, kind, region_code, flag_leading, flag_tech_sme, flag_high_tech, flag_specialized, flag_state_owned, version, created_at, updated_at) \
             VALUES ('91320500MA1X000001', '主办', 'enterprise', '320505', true, false, false, false, false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)".to_string(),
            "INSERT INTO centers (name, level, industry, region_code, host_organization_id, status, version, created_at, updated_at) \
             VALUES ('中心', 'national', '新材料', '320505', 1, 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)".to_string(),
            deal("HT-1", "NULL"),
            deal("ht 1", "CURRENT_TIMESTAMP"),
            deal("ht-1", "NULL"),
            deal("HT-2", "NULL"),
        ] {
            db.execute_raw(sql(&statement)).await.unwrap();
        }
        Migrator::up(&db, None).await.unwrap();
        let rows = db
            .query_all_raw(sql("SELECT id, contract_key FROM transactions ORDER BY id"))
            .await
            .unwrap();
        let keys: Vec<(i64, Option<String>)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get("", "id").unwrap(),
                    r.try_get("", "contract_key").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                (1, Some("HT-1".into())),
                (2, None),
                (3, None),
                (4, Some("HT-2".into()))
            ],
            "{backend:?}"
        );
        let audit = db
            .query_all_raw(sql(
                "SELECT after FROM audit_log WHERE action = 'migration.contract_duplicates'",
            ))
            .await
            .unwrap();
        assert_eq!(audit.len(), 1, "{backend:?}: one report");
        let listed: Value =
            serde_json::from_str(&audit[0].try_get::<String>("", "after").unwrap()).unwrap();
        assert_eq!(
            listed,
            json!([{"center_id": 1, "contract_key": "HT-1", "deal_ids": [1, 3]}])
        );
        let third = "INSERT INTO transactions (center_id, kind, amount_fen, contract_date, counterparty_uscc, contract_no, contract_key, related_party, version, created_at, updated_at) \
             VALUES (1, 'license', 100, '2025-01-05', '[]', 'HT-1', 'HT-1', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";
        let third = db.execute_raw(sql(third)).await;
        assert!(
            third.is_err(),
            "{backend:?}: the index refuses a second live key"
        );
        db.close().await.unwrap();
    }
}

each_backend! {
    async fn the_templates_example_row_imports_and_downloads_are_named_by_center_and_day(app) {
        let center = app.center(6, "national", "320505").await;
        let template = app.api.get(app.url("/import-templates/transactions.xlsx")).send().await.unwrap();
        let bytes = template.bytes().await.unwrap().to_vec();
        let path = format!("/api/v1/centers/{}/imports/transactions", center.id);
        let r = app.upload(&path, &center.token, "template.xlsx", bytes).await;
        assert_eq!(r.status(), 201, "the example row passes every check: {}", r.text().await.unwrap());
        // the page's own download, with the page session (the same token in its cookie)
        let download = app.api.get(app.url(&format!("/centers/{}/downloads/transactions.xlsx", center.id)))
            .header("Cookie", format!("ipoc_session={}", center.token))
            .send().await.unwrap();
        assert_eq!(download.status(), 200);
        let named = download.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(named.contains("filename=\"transactions.xlsx\""), "an ASCII name for old clients: {named}");
        let stem = format!("中心6-运营交易-{}.xlsx", ipoc_tests::TODAY);
        let encoded = named.split("filename*=UTF-8''").nth(1).unwrap_or_default();
        let decoded: String = form_urlencoded::parse(format!("n={encoded}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
        assert_eq!(decoded, stem, "named by center and day: {named}");
    }
}
