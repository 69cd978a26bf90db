use sea_orm_migration::{prelude::*, schema::*};

use crate::{
    m20261121_000001_create_organizations::Organizations, m20261121_000002_create_centers::Centers,
    m20261122_000008_create_imports::Imports,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(pk_auto(Memberships::Id))
                    .col(integer(Memberships::CenterId))
                    .col(integer(Memberships::OrganizationId))
                    // the organization's kind, copied so that alliance counts need no join
                    .col(string(Memberships::OrgKind))
                    .col(date(Memberships::JoinedOn))
                    .col(date_null(Memberships::LeftOn))
                    .col(integer_null(Memberships::ImportId))
                    .col(timestamp_with_time_zone_null(Memberships::DeletedAt))
                    .col(integer(Memberships::Version).default(1))
                    .col(integer_null(Memberships::CreatedBy))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .col(timestamp_with_time_zone(Memberships::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_center")
                            .from(Memberships::Table, Memberships::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_organization")
                            .from(Memberships::Table, Memberships::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_import")
                            .from(Memberships::Table, Memberships::ImportId)
                            .to(Imports::Table, Imports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // one active (not withdrawn, not deleted) membership per organization per center
        manager
            .create_index(
                Index::create()
                    .name("uq_memberships_active")
                    .table(Memberships::Table)
                    .col(Memberships::CenterId)
                    .col(Memberships::OrganizationId)
                    .unique()
                    .and_where(Expr::col(Memberships::LeftOn).is_null())
                    .and_where(Expr::col(Memberships::DeletedAt).is_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_live_by_dates")
                    .table(Memberships::Table)
                    .col(Memberships::CenterId)
                    .col(Memberships::JoinedOn)
                    .col(Memberships::LeftOn)
                    .col(Memberships::OrgKind)
                    .and_where(Expr::col(Memberships::DeletedAt).is_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_organization")
                    .table(Memberships::Table)
                    .col(Memberships::OrganizationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Memberships::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Memberships {
    Table,
    Id,
    CenterId,
    OrganizationId,
    OrgKind,
    JoinedOn,
    LeftOn,
    ImportId,
    DeletedAt,
    Version,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}
