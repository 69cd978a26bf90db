use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows make a center's place in its cycle: reports, decisions, rectifications and
/// withdrawal requests (each with a `center_id`).
const SOURCES: [&str; 4] = [
    "annual_reports",
    "decisions",
    "rectifications",
    "withdrawal_requests",
];

/// `centers.lifecycle_version` counts every change to a center's reports, decisions,
/// rectifications and withdrawal requests, moved by database triggers in the same statement as the
/// change — so a dashboard row stamped with it is current exactly while it is unchanged, on
/// every instance. These tables change a few times a year per center: row triggers on both
/// backends.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE centers ADD COLUMN lifecycle_version BIGINT NOT NULL DEFAULT 0",
        )
        .await?;
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        if postgres {
            db.execute_unprepared(
                "CREATE FUNCTION ipoc_bump_lifecycle() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                   IF TG_OP <> 'INSERT' THEN UPDATE centers SET lifecycle_version = lifecycle_version + 1 WHERE id = OLD.center_id; END IF; \
                   IF TG_OP <> 'DELETE' THEN UPDATE centers SET lifecycle_version = lifecycle_version + 1 WHERE id = NEW.center_id; END IF; \
                   RETURN NULL; END $$",
            )
            .await?;
        }
        for table in SOURCES {
            let statements = if postgres {
                vec![format!(
                    "CREATE TRIGGER lifecycle_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION ipoc_bump_lifecycle()"
                )]
            } else {
                let bump =
                    "UPDATE centers SET lifecycle_version = lifecycle_version + 1 WHERE id IN";
                vec![
                    format!(
                        "CREATE TRIGGER lifecycle_{table}_ins AFTER INSERT ON {table} BEGIN {bump} (NEW.center_id); END"
                    ),
                    format!(
                        "CREATE TRIGGER lifecycle_{table}_upd AFTER UPDATE ON {table} BEGIN {bump} (OLD.center_id, NEW.center_id); END"
                    ),
                    format!(
                        "CREATE TRIGGER lifecycle_{table}_del AFTER DELETE ON {table} BEGIN {bump} (OLD.center_id); END"
                    ),
                ]
            };
            for sql in statements {
                db.execute_unprepared(&sql).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        for table in SOURCES {
            if postgres {
                db.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS lifecycle_{table} ON {table}"
                ))
                .await?;
            } else {
                for op in ["ins", "upd", "del"] {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS lifecycle_{table}_{op}"
                    ))
                    .await?;
                }
            }
        }
        if postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS ipoc_bump_lifecycle()")
                .await?;
        }
        db.execute_unprepared("ALTER TABLE centers DROP COLUMN lifecycle_version")
            .await?;
        Ok(())
    }
}
