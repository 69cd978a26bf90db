//! The automatic conflict-of-interest check of an expert against a center.

use entities::{centers, memberships, organizations, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{error::AppError, i18n::Msg};

/// Why `expert`'s organization may not review `center` (rule: the expert's organization is the
/// host, an alliance member, or a counterparty of one of the center's deals), if it may not.
pub async fn automatic_conflict(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    expert: &users::Model,
) -> Result<Option<Msg>, AppError> {
    let Some(org_id) = expert.organization_id else {
        return Ok(None);
    };
    if org_id == center.host_organization_id {
        return Ok(Some(Msg::new(
            "专家所在单位是该中心的建设主体",
            "the expert's organization is the center's host",
        )));
    }
    let member = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center.id))
        .filter(memberships::Column::OrganizationId.eq(org_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .filter(memberships::Column::LeftOn.is_null())
        .one(db)
        .await?;
    if member.is_some() {
        return Ok(Some(Msg::new(
            "专家所在单位是该中心的联盟成员",
            "the expert's organization is a member of the center's alliance",
        )));
    }
    let Some(org) = organizations::Entity::find_by_id(org_id).one(db).await? else {
        return Ok(None);
    };
    let counterparty = entities::transactions::Entity::find()
        .filter(entities::transactions::Column::CenterId.eq(center.id))
        .filter(entities::transactions::Column::DeletedAt.is_null())
        .filter(
            entities::transactions::Column::CounterpartyUscc.contains(format!("\"{}\"", org.uscc)),
        )
        .one(db)
        .await?;
    Ok(counterparty.map(|_| {
        Msg::new(
            "专家所在单位是该中心交易的交易对方",
            "the expert's organization is a counterparty of one of the center's deals",
        )
    }))
}

/// An expert a decider may choose for a review of a center: the account, its organization and,
/// when the automatic check refuses it, why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    pub id: i32,
    pub email: String,
    pub organization: Option<String>,
    pub conflict: Option<Msg>,
}

/// Every enabled expert, by e-mail, with its organization and its automatic conflict with
/// `center` (the same check the assignment makes), so that the decider sees it before choosing.
pub async fn candidates(
    db: &impl ConnectionTrait,
    center: &centers::Model,
) -> Result<Vec<Candidate>, AppError> {
    use sea_orm::QueryOrder;
    let experts = users::Entity::find()
        .filter(users::Column::Role.eq(crate::domain::users::Role::Expert.as_str()))
        .filter(users::Column::Disabled.eq(false))
        .order_by_asc(users::Column::Email)
        .all(db)
        .await?;
    let org_ids: Vec<i32> = experts.iter().filter_map(|e| e.organization_id).collect();
    let names: std::collections::HashMap<i32, String> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut found = Vec::with_capacity(experts.len());
    for expert in experts {
        let conflict = automatic_conflict(db, center, &expert).await?;
        found.push(Candidate {
            id: expert.id,
            organization: expert.organization_id.and_then(|o| names.get(&o).cloned()),
            email: expert.email,
            conflict,
        });
    }
    Ok(found)
}
