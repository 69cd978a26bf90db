use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The expiry a demand's member was mailed about (a renewal moves it, and mails again).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Demands::Table)
                    .add_column(date_null(Demands::ExpiryMailedFor))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Demands::Table)
                    .drop_column(Demands::ExpiryMailedFor)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Demands {
    Table,
    ExpiryMailedFor,
}
