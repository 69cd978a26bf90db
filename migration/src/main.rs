//! `cargo run -p migration -- [up|down|status]` against `IPOC_DATABASE_URL`
//! (default `sqlite://data/ipoc.db?mode=rwc`), under the same lock as ipoc's own start, so it
//! may run beside starting instances.

use migration::{MigrationLock, Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::Database;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::var("IPOC_DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://data/ipoc.db?mode=rwc".into());
    let lock = MigrationLock::acquire(&url).await?;
    let db = Database::connect(&url).await?;
    let outcome = run(&db, std::env::args().nth(1).as_deref()).await;
    db.close().await?;
    lock.release().await?;
    outcome
}

async fn run(
    db: &sea_orm_migration::sea_orm::DatabaseConnection,
    command: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        None | Some("up") => Migrator::up(db, None).await?,
        Some("down") => Migrator::down(db, Some(1)).await?,
        Some("status") => {
            for migration in Migrator::get_pending_migrations(db).await? {
                println!("pending  {}", migration.name());
            }
            for migration in Migrator::get_applied_migrations(db).await? {
                println!("applied  {}", migration.name());
            }
        }
        Some(other) => {
            return Err(format!("unknown command '{other}'; use up, down or status").into());
        }
    }
    Ok(())
}
