use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The patents of a deal in a table of their own (deal ↔ normalized application number, in the
/// order the deal lists them), so that a query can join a deal to a patent; every existing
/// deal's numbers move there from its JSON column, which is dropped.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TransactionPatents::Table)
                    .col(
                        ColumnDef::new(TransactionPatents::TransactionId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TransactionPatents::Position)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TransactionPatents::PatentNumber)
                            .string()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TransactionPatents::TransactionId)
                            .col(TransactionPatents::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TransactionPatents::Table, TransactionPatents::TransactionId)
                            .to(Transactions::Table, Transactions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transaction_patents_number")
                    .table(TransactionPatents::Table)
                    .col(TransactionPatents::PatentNumber)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let copy = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                "INSERT INTO transaction_patents (transaction_id, position, patent_number) \
                 SELECT t.id, (e.ordinality - 1)::int, e.value FROM transactions t \
                 CROSS JOIN LATERAL json_array_elements_text(t.patent_numbers::json) \
                 WITH ORDINALITY AS e(value, ordinality)"
            }
            _ => {
                "INSERT INTO transaction_patents (transaction_id, position, patent_number) \
                 SELECT t.id, CAST(j.key AS INTEGER), j.value FROM transactions t, json_each(t.patent_numbers) j"
            }
        };
        db.execute_unprepared(copy).await?;
        db.execute_unprepared("ALTER TABLE transactions DROP COLUMN patent_numbers")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "ALTER TABLE transactions ADD COLUMN patent_numbers TEXT NOT NULL DEFAULT '[]'",
        )
        .await?;
        let copy = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                "UPDATE transactions t SET patent_numbers = COALESCE((SELECT json_agg(p.patent_number \
                 ORDER BY p.position)::text FROM transaction_patents p WHERE p.transaction_id = t.id), '[]')"
            }
            _ => {
                "UPDATE transactions SET patent_numbers = COALESCE((SELECT json_group_array(patent_number) \
                 FROM (SELECT patent_number FROM transaction_patents p WHERE p.transaction_id = transactions.id \
                 ORDER BY p.position)), '[]')"
            }
        };
        db.execute_unprepared(copy).await?;
        manager
            .drop_table(Table::drop().table(TransactionPatents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum TransactionPatents {
    Table,
    TransactionId,
    Position,
    PatentNumber,
}

#[derive(DeriveIden)]
enum Transactions {
    Table,
    Id,
}
