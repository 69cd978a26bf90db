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
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    // stored lower-cased, so the unique index is case-insensitive
                    .col(string_uniq(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(integer_null(Users::OrganizationId))
                    .col(integer_null(Users::CenterId))
                    .col(string_null(Users::RegionCode))
                    .col(boolean(Users::Disabled).default(false))
                    .col(integer(Users::TokenVersion).default(1))
                    .col(integer(Users::Version).default(1))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_organization")
                            .from(Users::Table, Users::OrganizationId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_center")
                            .from(Users::Table, Users::CenterId)
                            .to(Centers::Table, Centers::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    OrganizationId,
    CenterId,
    RegionCode,
    Disabled,
    TokenVersion,
    Version,
    CreatedAt,
    UpdatedAt,
}
