use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows a center's figures are computed from, and how a row names its center.
const SOURCES: [(&str, CenterOf); 6] = [
    ("center_year_totals", CenterOf::Column),
    ("memberships", CenterOf::Column),
    ("projects", CenterOf::Column),
    ("service_events", CenterOf::Column),
    ("cycles", CenterOf::Column),
    ("service_event_organizations", CenterOf::Event),
];

/// How a source row names its center.
#[derive(Clone, Copy)]
enum CenterOf {
    /// A `center_id` column.
    Column,
    /// Through `event_id` → `service_events.center_id`.
    Event,
}

/// `centers.figures_version` counts every change to the rows a center's figures are computed
/// from (yearly deal totals, memberships, projects, service events and the organizations they
/// served, cycles, a served organization's tech-SME flag). Database triggers move it in the
/// same statement as the change, whatever code makes it, so a cached figure stamped with the
/// version it was computed at is current exactly while the version is unchanged — on every
/// instance that reads the same database.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE centers ADD COLUMN figures_version BIGINT NOT NULL DEFAULT 0",
        )
        .await?;
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => postgres_triggers(),
            _ => sqlite_triggers(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
        for (table, _) in SOURCES {
            for op in ["ins", "upd", "del"] {
                let on = if postgres {
                    format!(" ON {table}")
                } else {
                    String::new()
                };
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS figures_{table}_{op}{on}"))
                    .await?;
            }
        }
        let on = if postgres { " ON organizations" } else { "" };
        db.execute_unprepared(&format!(
            "DROP TRIGGER IF EXISTS figures_organizations_tech_sme{on}"
        ))
        .await?;
        if postgres {
            for function in [
                "ipoc_bump_figures",
                "ipoc_bump_figures_of_events",
                "ipoc_bump_figures_of_served",
            ] {
                db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS {function}()"))
                    .await?;
            }
        }
        db.execute_unprepared("ALTER TABLE centers DROP COLUMN figures_version")
            .await?;
        Ok(())
    }
}

const BUMP: &str = "UPDATE centers SET figures_version = figures_version + 1 WHERE id IN";

/// The centers served by organization `NEW` through service events.
const SERVED_CENTERS: &str = "SELECT e.center_id FROM service_event_organizations seo \
     JOIN service_events e ON e.id = seo.event_id WHERE seo.organization_id = NEW.id";

/// SQLite: row triggers (there are no statement triggers; each bump is an in-place update).
fn sqlite_triggers() -> Vec<String> {
    let center = |of: CenterOf, row: &str| match of {
        CenterOf::Column => format!("{row}.center_id"),
        CenterOf::Event => {
            format!("(SELECT center_id FROM service_events WHERE id = {row}.event_id)")
        }
    };
    let mut sql = Vec::new();
    for (table, of) in SOURCES {
        let (new, old) = (center(of, "NEW"), center(of, "OLD"));
        sql.push(format!(
            "CREATE TRIGGER figures_{table}_ins AFTER INSERT ON {table} BEGIN {BUMP} ({new}); END"
        ));
        sql.push(format!(
            "CREATE TRIGGER figures_{table}_upd AFTER UPDATE ON {table} BEGIN {BUMP} ({old}, {new}); END"
        ));
        sql.push(format!(
            "CREATE TRIGGER figures_{table}_del AFTER DELETE ON {table} BEGIN {BUMP} ({old}); END"
        ));
    }
    sql.push(format!(
        "CREATE TRIGGER figures_organizations_tech_sme AFTER UPDATE OF flag_tech_sme ON organizations \
         WHEN NEW.flag_tech_sme IS NOT OLD.flag_tech_sme BEGIN {BUMP} ({SERVED_CENTERS}); END"
    ));
    sql
}

/// PostgreSQL: statement triggers over the transition tables, so an import of many rows bumps
/// each center once per statement instead of rewriting its row once per imported row.
fn postgres_triggers() -> Vec<String> {
    let function = |name: &str, center_of: &str| {
        let from = |rows: &str| center_of.replace("ROWS", rows);
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               IF TG_OP = 'INSERT' THEN {BUMP} ({new}); \
               ELSIF TG_OP = 'DELETE' THEN {BUMP} ({old}); \
               ELSE {BUMP} ({new} UNION {old}); END IF; \
               RETURN NULL; END $$",
            new = from("new_rows"),
            old = from("old_rows"),
        )
    };
    let mut sql = vec![
        function("ipoc_bump_figures", "SELECT center_id FROM ROWS"),
        function(
            "ipoc_bump_figures_of_events",
            "SELECT e.center_id FROM service_events e WHERE e.id IN (SELECT event_id FROM ROWS)",
        ),
        format!(
            "CREATE FUNCTION ipoc_bump_figures_of_served() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               IF NEW.flag_tech_sme IS DISTINCT FROM OLD.flag_tech_sme THEN {BUMP} ({SERVED_CENTERS}); END IF; \
               RETURN NULL; END $$"
        ),
    ];
    for (table, of) in SOURCES {
        let function = match of {
            CenterOf::Column => "ipoc_bump_figures",
            CenterOf::Event => "ipoc_bump_figures_of_events",
        };
        for (op, event, referencing) in [
            ("ins", "INSERT", "NEW TABLE AS new_rows"),
            (
                "upd",
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            ),
            ("del", "DELETE", "OLD TABLE AS old_rows"),
        ] {
            sql.push(format!(
                "CREATE TRIGGER figures_{table}_{op} AFTER {event} ON {table} \
                 REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            ));
        }
    }
    sql.push(
        "CREATE TRIGGER figures_organizations_tech_sme AFTER UPDATE OF flag_tech_sme ON organizations \
         FOR EACH ROW EXECUTE FUNCTION ipoc_bump_figures_of_served()"
            .to_string(),
    );
    sql
}
