//! Instances of a deployment start at once on one empty database: the migrations, rulebook
//! version 1 and the demo data are applied once, under a lock, and every instance serves.

use ipoc_tests::{FreshDatabase, ServerProcess, backends};
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_started_at_once_on_an_empty_database_prepare_it_once() {
    for backend in backends() {
        let database = FreshDatabase::create(&backend).await;
        let vars = || ServerProcess::settings(&database.url, database.dir.path());
        let program = env!("CARGO_BIN_EXE_ipoc-process");
        let serve = ["serve", "--demo"];
        let instances = tokio::join!(
            ServerProcess::start(program, &serve, vars()),
            ServerProcess::start(program, &serve, vars()),
            ServerProcess::start(program, &serve, vars()),
        );
        let client = reqwest::Client::new();
        for instance in [&instances.0, &instances.1, &instances.2] {
            let health = client
                .get(format!("{}/health", instance.address))
                .send()
                .await
                .unwrap();
            assert_eq!(health.status(), 200, "{backend:?}: every instance serves");
        }

        let db = Database::connect(&database.url).await.unwrap();
        let migrations = migration::Migrator::migrations().len() as i64;
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM seaql_migrations").await,
            migrations
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(DISTINCT version) AS n FROM seaql_migrations"
            )
            .await,
            migrations,
            "{backend:?}: each migration applied once"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM rulebook_versions").await,
            1,
            "one rulebook version 1"
        );
        assert_eq!(
            count(
                &db,
                "SELECT COUNT(*) AS n FROM users WHERE email LIKE '%@demo.ipoc.cn'"
            )
            .await,
            10,
            "{backend:?}: the demo accounts once"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM centers WHERE name = '江苏新材料产业知识产权运营中心（演示）'").await,
            1,
            "{backend:?}: the demo center once"
        );
        assert_eq!(
            count(&db, "SELECT COUNT(*) AS n FROM centers").await,
            4,
            "and the three demo centers in their cycles"
        );
        db.close().await.unwrap();
        drop(instances);
    }
}
