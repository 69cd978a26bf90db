use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An enterprise's evaluation may carry its own contact, for the listing's owner and centers.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ListingEvaluations::ContactName,
            ListingEvaluations::ContactPhone,
            ListingEvaluations::ContactEmail,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ListingEvaluations::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ListingEvaluations::ContactName,
            ListingEvaluations::ContactPhone,
            ListingEvaluations::ContactEmail,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ListingEvaluations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ListingEvaluations {
    Table,
    ContactName,
    ContactPhone,
    ContactEmail,
}
