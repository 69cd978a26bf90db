use ipoc_tests::{FreshDatabase, backends, test_settings};
use migration::{Migrator, MigratorTrait};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_go_up_down_and_up_again() {
    for backend in backends() {
        eprintln!("-- backend: {backend:?}");
        let database = FreshDatabase::create(&backend).await;
        // one connection: every DDL statement of up and down on the same SQLite connection
        let settings = test_settings(&database, &[("IPOC_DB_MAX_CONNECTIONS", "1")]);
        let db = ipoc::db::connect(&settings).await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        let applied = Migrator::get_applied_migrations(&db).await.unwrap().len();
        assert_eq!(applied, Migrator::migrations().len());
        Migrator::down(&db, None).await.unwrap();
        assert!(
            Migrator::get_applied_migrations(&db)
                .await
                .unwrap()
                .is_empty()
        );
        Migrator::up(&db, None).await.unwrap();
        assert_eq!(
            Migrator::get_pending_migrations(&db).await.unwrap().len(),
            0
        );
        db.close().await.unwrap();
    }
}

/// The triggers installed in the database move exactly the derived state the domain says they
/// do: `figures_*` on the tables of `derived::FIGURES_SOURCES`, `lifecycle_*` on those of
/// `derived::LIFECYCLE_SOURCES`, and no trigger else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installed_triggers_are_the_ones_the_domain_lists() {
    use ipoc::domain::derived::{
        FIGURES_SOURCES, FIGURES_TRIGGER_PREFIX, LIFECYCLE_SOURCES, LIFECYCLE_TRIGGER_PREFIX,
    };
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    use std::collections::BTreeSet;
    for backend in backends() {
        let database = FreshDatabase::create(&backend).await;
        let settings = test_settings(&database, &[]);
        let db = ipoc::db::connect(&settings).await.unwrap();
        Migrator::up(&db, None).await.unwrap();
        let sql = match db.get_database_backend() {
            DbBackend::Postgres => {
                "SELECT t.tgname AS name, c.relname AS tbl FROM pg_trigger t \
                 JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            }
            _ => "SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'trigger'",
        };
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap();
        let (mut figures, mut lifecycle, mut others) =
            (BTreeSet::new(), BTreeSet::new(), Vec::new());
        for row in rows {
            let name: String = row.try_get("", "name").unwrap();
            let table: String = row.try_get("", "tbl").unwrap();
            if name.starts_with(FIGURES_TRIGGER_PREFIX) {
                figures.insert(table);
            } else if name.starts_with(LIFECYCLE_TRIGGER_PREFIX) {
                lifecycle.insert(table);
            } else {
                others.push(format!("{name} on {table}"));
            }
        }
        let expected = |tables: &[&str]| {
            tables
                .iter()
                .map(|t| t.to_string())
                .collect::<BTreeSet<_>>()
        };
        assert_eq!(
            figures,
            expected(&FIGURES_SOURCES),
            "{backend:?}: figures_version"
        );
        assert_eq!(
            lifecycle,
            expected(&LIFECYCLE_SOURCES),
            "{backend:?}: lifecycle_version"
        );
        assert!(
            others.is_empty(),
            "{backend:?}: triggers nobody lists: {others:?}"
        );
        db.close().await.unwrap();
    }
}

/// Deals keep their patent numbers in `transaction_patents` after the migration that moves them
/// there from the JSON column, in their order; and back again when it is rolled back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_existing_deals_patents_move_to_their_own_table_and_back() {
    use sea_orm::{ConnectionTrait, Statement};
    for backend in backends() {
        let database = FreshDatabase::create(&backend).await;
        let settings = test_settings(&database, &[("IPOC_DB_MAX_CONNECTIONS", "1")]);
        let db = ipoc::db::connect(&settings).await.unwrap();
        // every migration before the one that moves the patents
        let before = Migrator::migrations()
            .iter()
            .position(|m| m.name() == "m20261207_000031_create_transaction_patents")
            .unwrap() as u32;
        Migrator::up(&db, Some(before)).await.unwrap();
        let sql = |s: &str| Statement::from_string(db.get_database_backend(), s);
        for statement in [
            "INSERT INTO organizations (uscc, name, kind, region_code, flag_leading, flag_tech_sme, flag_high_tech, flag_specialized, flag_state_owned, version, created_at, updated_at) \
             VALUES ('91320500MA1X000001', '主办', 'enterprise', '320505', true, false, false, false, false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO centers (name, level, industry, region_code, host_organization_id, status, version, created_at, updated_at) \
             VALUES ('中心', 'national', '新材料', '320505', 1, 'draft', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO transactions (center_id, kind, amount_fen, contract_date, patent_numbers, counterparty_uscc, related_party, version, created_at, updated_at) \
             VALUES (1, 'license', 100, '2025-01-05', '[\"201710601862.3\",\"95115608.X\"]', '[]', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            "INSERT INTO transactions (center_id, kind, amount_fen, contract_date, patent_numbers, counterparty_uscc, related_party, version, created_at, updated_at) \
             VALUES (1, 'transfer', 200, '2025-02-05', '[]', '[]', false, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        ] {
            db.execute_raw(sql(statement)).await.unwrap();
        }
        Migrator::up(&db, None).await.unwrap();
        let rows = db
            .query_all_raw(sql(
                "SELECT transaction_id, position, patent_number FROM transaction_patents ORDER BY transaction_id, position",
            ))
            .await
            .unwrap();
        let moved: Vec<(i64, i32, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.try_get("", "transaction_id").unwrap(),
                    r.try_get("", "position").unwrap(),
                    r.try_get("", "patent_number").unwrap(),
                )
            })
            .collect();
        assert_eq!(
            moved,
            vec![
                (1, 0, "201710601862.3".to_string()),
                (1, 1, "95115608.X".to_string())
            ],
            "{backend:?}"
        );
        // back down through the patents' migration (and those after it)
        let since = Migrator::migrations().len() as u32 - before;
        Migrator::down(&db, Some(since)).await.unwrap();
        let back = db
            .query_all_raw(sql("SELECT patent_numbers FROM transactions ORDER BY id"))
            .await
            .unwrap();
        let lists: Vec<Vec<String>> = back
            .iter()
            .map(|r| {
                serde_json::from_str(&r.try_get::<String>("", "patent_numbers").unwrap()).unwrap()
            })
            .collect();
        assert_eq!(
            lists,
            vec![
                vec!["201710601862.3".to_string(), "95115608.X".to_string()],
                vec![]
            ],
            "{backend:?}: rolled back"
        );
        db.close().await.unwrap();
    }
}
