use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The `Message-ID` of each mail, made once when its outbox row is written and sent unchanged on
/// every retry, so that a mail delivered twice (a crash between the server's acceptance and the
/// row's `sent` mark) is recognised as one by the receiving server and client. Rows written
/// before this migration get one on their next attempt.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(string_null(Outbox::MessageId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE outbox DROP COLUMN message_id")
            .await
            .map(|_| ())
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    MessageId,
}
