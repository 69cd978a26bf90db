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
                    .table(JoinRequests::Table)
                    .col(pk_auto(JoinRequests::Id))
                    .col(integer(JoinRequests::CenterId))
                    .col(integer(JoinRequests::OrganizationId))
                    .col(integer(JoinRequests::RequestedBy))
                    .col(text(JoinRequests::Message))
                    .col(string(JoinRequests::Status))
                    .col(text_null(JoinRequests::Reason))
                    .col(integer_null(JoinRequests::DecidedBy))
                    .col(timestamp_with_time_zone_null(JoinRequests::DecidedAt))
                    .col(integer(JoinRequests::Version).default(1))
                    .col(timestamp_with_time_zone(JoinRequests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_join_requests_center")
                            .from(JoinRequests::Table, JoinRequests::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_join_requests_organization")
                            .from(JoinRequests::Table, JoinRequests::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // one pending request per organization per center
        manager
            .create_index(
                Index::create()
                    .name("uq_join_requests_pending")
                    .table(JoinRequests::Table)
                    .col(JoinRequests::CenterId)
                    .col(JoinRequests::OrganizationId)
                    .unique()
                    .and_where(Expr::col(JoinRequests::Status).eq("pending"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JoinRequests::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum JoinRequests {
    Table,
    Id,
    CenterId,
    OrganizationId,
    RequestedBy,
    Message,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    Version,
    CreatedAt,
}
