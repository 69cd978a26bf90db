use std::collections::BTreeMap;

use entities::transactions::contract_key;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A contract number is unique among the live deals of its center: each deal keeps its number
/// as compared (`contract_key`: case, width and spaces folded) under a partial unique index.
/// Numbers already used twice are not failed on blindly: the earliest live deal keeps its key,
/// the later ones are left without one (still counted, their number unchanged), and each group is
/// reported — on standard error and as one `migration.contract_duplicates` audit row — so that a
/// person corrects or deletes them.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Transactions::Table)
                    .add_column(ColumnDef::new(Transactions::ContractKey).string_len(100))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, center_id, contract_no FROM transactions \
                 WHERE contract_no IS NOT NULL AND deleted_at IS NULL ORDER BY id",
            ))
            .await?;
        let mut first: BTreeMap<(i32, String), i64> = BTreeMap::new();
        let mut duplicates: BTreeMap<(i32, String), Vec<i64>> = BTreeMap::new();
        let mut keys: Vec<(i64, String)> = Vec::new();
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let center: i32 = row.try_get("", "center_id")?;
            let number: String = row.try_get("", "contract_no")?;
            let Some(key) = contract_key(&number) else {
                continue;
            };
            if let Some(kept) = first.get(&(center, key.clone())) {
                let group = duplicates
                    .entry((center, key))
                    .or_insert_with(|| vec![*kept]);
                group.push(id);
                continue;
            }
            first.insert((center, key.clone()), id);
            keys.push((id, key));
        }
        set_keys(manager, &keys).await?;
        report(manager, &duplicates).await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_transactions_contract_key ON transactions (center_id, contract_key) \
             WHERE deleted_at IS NULL AND contract_key IS NOT NULL",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX ux_transactions_contract_key")
            .await?;
        db.execute_unprepared("ALTER TABLE transactions DROP COLUMN contract_key")
            .await
            .map(|_| ())
    }
}

/// Writes each deal's key: a few statements for all (through a work table, dropped after; a
/// temporary table would live in one pooled SQLite connection only), not one each.
async fn set_keys(manager: &SchemaManager<'_>, keys: &[(i64, String)]) -> Result<(), DbErr> {
    if keys.is_empty() {
        return Ok(());
    }
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    db.execute_unprepared(
        "CREATE TABLE contract_keys (id BIGINT PRIMARY KEY, contract_key VARCHAR(100) NOT NULL)",
    )
    .await?;
    for batch in keys.chunks(500) {
        let mut marks = Vec::with_capacity(batch.len());
        let mut values = Vec::with_capacity(batch.len() * 2);
        for (i, (id, key)) in batch.iter().enumerate() {
            marks.push(match backend {
                sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
                    format!("(${}, ${})", 2 * i + 1, 2 * i + 2)
                }
                _ => "(?, ?)".to_string(),
            });
            values.push((*id).into());
            values.push(key.clone().into());
        }
        let sql = format!(
            "INSERT INTO contract_keys (id, contract_key) VALUES {}",
            marks.join(", ")
        );
        db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
    }
    db.execute_unprepared(
        "UPDATE transactions SET contract_key = \
         (SELECT k.contract_key FROM contract_keys k WHERE k.id = transactions.id) \
         WHERE id IN (SELECT id FROM contract_keys)",
    )
    .await?;
    db.execute_unprepared("DROP TABLE contract_keys")
        .await
        .map(|_| ())
}

/// Each number used more than once in a center (the deals, the first keeping its key), on
/// standard error and in one audit row.
async fn report(
    manager: &SchemaManager<'_>,
    duplicates: &BTreeMap<(i32, String), Vec<i64>>,
) -> Result<(), DbErr> {
    if duplicates.is_empty() {
        return Ok(());
    }
    let mut groups = Vec::new();
    for ((center, key), ids) in duplicates {
        eprintln!(
            "migration: center {center} uses contract number {key} on deals {ids:?}; \
             deals after the first are left without a key until corrected or deleted"
        );
        groups.push(serde_json::json!({"center_id": center, "contract_key": key, "deal_ids": ids}));
    }
    let backend = manager.get_database_backend();
    let sql = match backend {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
            "INSERT INTO audit_log (action, entity, after, at) VALUES ($1, $2, $3, $4)"
        }
        _ => "INSERT INTO audit_log (action, entity, after, at) VALUES (?, ?, ?, ?)",
    };
    let values = [
        "migration.contract_duplicates".into(),
        "transaction".into(),
        serde_json::Value::Array(groups).to_string().into(),
        chrono::Utc::now().into(),
    ];
    let insert = Statement::from_sql_and_values(backend, sql, values);
    manager
        .get_connection()
        .execute_raw(insert)
        .await
        .map(|_| ())
}

#[derive(DeriveIden)]
enum Transactions {
    Table,
    ContractKey,
}
