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
