//! What the application page shows its reader: the application, the criteria (frozen at
//! submission, or live for the last full year while it can still change), what the reader may
//! do now, and an expert's rubric with their own scores.

use chrono::Datelike;
use entities::{applications, centers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{ApplicationView, Services, authority_region, decides, is_national, readable, status};
use crate::{
    auth::CurrentUser,
    domain::{
        metrics, organizations,
        review::{self, RubricLine, Subject},
        users::Role,
    },
    error::AppError,
    i18n::Msg,
};

/// One criterion and its verdict.
pub struct Criterion {
    pub rule: String,
    pub passed: bool,
    pub detail: Msg,
}

/// The criteria an application is judged by.
pub struct Criteria {
    pub items: Vec<Criterion>,
    /// The year whose figures they judge.
    pub year: i32,
    /// Computed now (not yet frozen into the application).
    pub live: bool,
}

/// The application page of one reader.
pub struct ApplicationPage {
    pub view: ApplicationView,
    pub criteria: Criteria,
    /// The center's staff may still edit and submit it.
    pub editable: bool,
    pub can_recommend: bool,
    pub decides: bool,
    pub under_review: bool,
    pub under_notice: bool,
    /// An assigned expert who has not declared sees the declaration form only.
    pub must_declare: bool,
    pub can_score: bool,
    pub rubric: Vec<RubricLine>,
    /// The experts the decider may choose, while experts may be assigned.
    pub experts: Vec<review::Candidate>,
}

/// The verdicts of the last full year for `center`, computed now.
pub async fn live_criteria(
    services: &Services<'_>,
    center: &centers::Model,
) -> Result<Criteria, AppError> {
    let host = organizations::find_by_id(services.db, center.host_organization_id).await?;
    let year = services.today.year() - 1;
    let (db, rulebook, figures) = (services.db, services.rulebook, services.figures);
    let m = metrics::evaluate(
        db,
        rulebook,
        figures,
        center,
        host.as_ref(),
        year,
        services.today,
    )
    .await?;
    let items = m.verdicts.into_iter().map(|v| Criterion {
        rule: v.rule.to_string(),
        passed: v.passed,
        detail: v.detail,
    });
    Ok(Criteria {
        items: items.collect(),
        year,
        live: true,
    })
}

/// The verdicts frozen into the application at submission.
fn frozen_criteria(application: &applications::Model) -> Criteria {
    let snapshot: serde_json::Value = (application.snapshot.as_deref())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let text = |c: &serde_json::Value, key: &str| c[key].as_str().unwrap_or_default().to_string();
    let items = snapshot["criteria"].as_array().into_iter().flatten();
    Criteria {
        items: items
            .map(|c| Criterion {
                rule: text(c, "rule"),
                passed: c["passed"].as_bool().unwrap_or(false),
                detail: Msg::new(text(c, "detail_zh"), text(c, "detail_en")),
            })
            .collect(),
        year: application.snapshot_year.unwrap_or_default(),
        live: false,
    }
}

/// Application `id` and its center as `user` reads them, and whether `user` is an assigned
/// expert who must declare first (404 outside the reader's scope).
async fn read(
    services: &Services<'_>,
    user: &CurrentUser,
    id: i32,
) -> Result<(applications::Model, centers::Model, bool), AppError> {
    match readable(services.db, user, id).await {
        Ok((application, center)) => Ok((application, center, false)),
        Err(AppError::ForbiddenBecause(_)) if user.role == Role::Expert => {
            let application = applications::Entity::find_by_id(id)
                .one(services.db)
                .await?;
            let application = application.ok_or(AppError::NotFound)?;
            let center = centers::Entity::find_by_id(application.center_id);
            let center = center.one(services.db).await?.ok_or(AppError::NotFound)?;
            Ok((application, center, true))
        }
        Err(other) => Err(other),
    }
}

/// The application page of application `id` for `user`.
pub async fn application_page(
    services: &Services<'_>,
    user: &CurrentUser,
    id: i32,
) -> Result<ApplicationPage, AppError> {
    let (application, center, must_declare) = read(services, user, id).await?;
    let editable = user.role == Role::Center
        && user.center_id == Some(center.id)
        && matches!(
            application.status.as_str(),
            status::DRAFT | status::RETURNED
        );
    let criteria = if editable || application.snapshot.is_none() {
        live_criteria(services, &center).await?
    } else {
        frozen_criteria(&application)
    };
    let assignment = match user.role {
        Role::Expert => {
            review::active_assignment(services.db, Subject::Application(id), user.id).await?
        }
        _ => None,
    };
    let in_force = services.rulebook.in_force_on(services.db, services.today);
    let rubric = review::rubric_lines(&in_force.await?.rules.rubric, assignment.as_ref());
    let view = super::view(services.db, user, application, &center, services.now).await?;
    let recommender = user.role == Role::LocalOffice
        && user.region_code.as_deref() == Some(authority_region(&center).as_str());
    let assignable = matches!(
        view.status.as_str(),
        status::RECOMMENDED | status::UNDER_REVIEW
    );
    let experts = match decides(user, &center) && assignable {
        true => review::candidates(services.db, &center).await?,
        false => Vec::new(),
    };
    Ok(ApplicationPage {
        experts,
        can_recommend: is_national(&center) && recommender && view.status == status::SUBMITTED,
        decides: decides(user, &center),
        under_review: view.status == status::UNDER_REVIEW,
        under_notice: view.status == status::ACCREDITED && view.effective_on.is_none(),
        can_score: !must_declare && assignment.is_some() && view.status == status::UNDER_REVIEW,
        must_declare,
        editable,
        criteria,
        rubric,
        view,
    })
}

/// The latest application of center `center_id`, if any.
pub async fn latest(
    services: &Services<'_>,
    center_id: i32,
) -> Result<Option<applications::Model>, AppError> {
    Ok(applications::Entity::find()
        .filter(applications::Column::CenterId.eq(center_id))
        .order_by_desc(applications::Column::Id)
        .one(services.db)
        .await?)
}
