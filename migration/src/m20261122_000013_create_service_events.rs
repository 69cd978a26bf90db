use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261121_000001_create_organizations::Organizations, m20261121_000002_create_centers::Centers,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ServiceEvents::Table)
                    .col(pk_auto(ServiceEvents::Id))
                    .col(integer(ServiceEvents::CenterId))
                    .col(string(ServiceEvents::Kind))
                    .col(date(ServiceEvents::EventDate))
                    .col(string(ServiceEvents::Title))
                    .col(timestamp_with_time_zone_null(ServiceEvents::DeletedAt))
                    .col(integer(ServiceEvents::Version).default(1))
                    .col(integer_null(ServiceEvents::CreatedBy))
                    .col(timestamp_with_time_zone(ServiceEvents::CreatedAt))
                    .col(timestamp_with_time_zone(ServiceEvents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_service_events_center")
                            .from(ServiceEvents::Table, ServiceEvents::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_events_center_date")
                    .table(ServiceEvents::Table)
                    .col(ServiceEvents::CenterId)
                    .col(ServiceEvents::EventDate)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ServiceEventOrganizations::Table)
                    .col(integer(ServiceEventOrganizations::EventId))
                    .col(integer(ServiceEventOrganizations::OrganizationId))
                    .primary_key(
                        Index::create()
                            .col(ServiceEventOrganizations::EventId)
                            .col(ServiceEventOrganizations::OrganizationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_service_event_organizations_event")
                            .from(
                                ServiceEventOrganizations::Table,
                                ServiceEventOrganizations::EventId,
                            )
                            .to(ServiceEvents::Table, ServiceEvents::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_service_event_organizations_organization")
                            .from(
                                ServiceEventOrganizations::Table,
                                ServiceEventOrganizations::OrganizationId,
                            )
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(ServiceEventOrganizations::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ServiceEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ServiceEvents {
    Table,
    Id,
    CenterId,
    Kind,
    EventDate,
    Title,
    DeletedAt,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ServiceEventOrganizations {
    Table,
    EventId,
    OrganizationId,
}
