use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261121_000002_create_centers::Centers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(pk_auto(Projects::Id))
                    .col(integer(Projects::CenterId))
                    .col(string(Projects::Kind))
                    .col(string(Projects::Name))
                    .col(date(Projects::StartDate))
                    .col(string(Projects::Status))
                    .col(text(Projects::PatentNumbers))
                    .col(text(Projects::PartnerUscc))
                    .col(timestamp_with_time_zone_null(Projects::DeletedAt))
                    .col(integer(Projects::Version).default(1))
                    .col(integer_null(Projects::CreatedBy))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_projects_center")
                            .from(Projects::Table, Projects::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_projects_live_by_start")
                    .table(Projects::Table)
                    .col(Projects::CenterId)
                    .col(Projects::StartDate)
                    .col(Projects::Status)
                    .and_where(Expr::col(Projects::DeletedAt).is_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Projects::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    CenterId,
    Kind,
    Name,
    StartDate,
    Status,
    PatentNumbers,
    PartnerUscc,
    DeletedAt,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
