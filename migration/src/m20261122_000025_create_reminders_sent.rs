use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Report reminders and overdue notices already sent: one row per center, year, kind and offset,
/// unique, so scheduled work in any number of instances sends each once.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RemindersSent::Table)
                    .col(pk_auto(RemindersSent::Id))
                    .col(integer(RemindersSent::CenterId))
                    .col(integer(RemindersSent::Year))
                    .col(string(RemindersSent::Kind))
                    .col(integer(RemindersSent::OffsetDays))
                    .col(timestamp_with_time_zone(RemindersSent::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_reminders_sent")
                    .table(RemindersSent::Table)
                    .col(RemindersSent::CenterId)
                    .col(RemindersSent::Year)
                    .col(RemindersSent::Kind)
                    .col(RemindersSent::OffsetDays)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RemindersSent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RemindersSent {
    Table,
    Id,
    CenterId,
    Year,
    Kind,
    OffsetDays,
    SentAt,
}
