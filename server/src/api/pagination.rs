//! Page-number pagination, as Django REST framework does it: `?page=2&page_size=50` (at most
//! 100, 20 by default), answered as `{count, next, previous, results}` with absolute links.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::error::ApiError;

/// Items on a page when the request does not say.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The most items a page may hold.
pub const MAX_PAGE_SIZE: i64 = 100;

/// The pagination query parameters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items per page (at most 100).
    pub page_size: Option<String>,
}

/// Which slice of a list to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: i64,
    pub size: i64,
}

impl PageQuery {
    /// The page asked for. A page size that is not a positive number falls back to the
    /// default, as in DRF; a page number that is not a positive number is "Invalid page."
    pub fn page(&self) -> Result<Page, ApiError> {
        let size = self
            .page_size
            .as_deref()
            .and_then(|size| size.parse::<i64>().ok())
            .filter(|size| *size > 0)
            .map_or(DEFAULT_PAGE_SIZE, |size| size.min(MAX_PAGE_SIZE));
        let number = match self.page.as_deref() {
            None | Some("") => 1,
            Some("last") => i64::MAX,
            Some(number) => number
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(invalid_page)?,
        };
        Ok(Page { number, size })
    }
}

impl Page {
    /// Whether this is `?page=last`, which needs the count before the rows.
    pub fn is_last(self) -> bool {
        self.number == i64::MAX
    }

    pub fn limit(self) -> i64 {
        self.size
    }

    pub fn offset(self) -> i64 {
        (self.number.saturating_sub(1)).saturating_mul(self.size)
    }

    /// Resolves `last` once the count is known, and refuses pages past the end.
    pub fn checked(self, count: i64) -> Result<Self, ApiError> {
        let pages = ((count + self.size - 1) / self.size).max(1);
        let number = if self.number == i64::MAX {
            pages
        } else {
            self.number
        };
        if number > pages {
            return Err(invalid_page());
        }
        Ok(Self {
            number,
            size: self.size,
        })
    }
}

/// One page of a list: `fetch(limit, offset)` answers rows and the total count. For
/// `?page=last` the count is asked first (with no rows), so the last page is answered, not an
/// empty one.
pub async fn fetch_page<T, F, Fut>(page: Page, fetch: F) -> Result<(Vec<T>, i64, Page), ApiError>
where
    F: Fn(i64, i64) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, i64), ApiError>>,
{
    let page = if page.is_last() {
        let (_, count) = fetch(0, 0).await?;
        page.checked(count)?
    } else {
        page
    };
    let (rows, count) = fetch(page.limit(), page.offset()).await?;
    Ok((rows, count, page.checked(count)?))
}

fn invalid_page() -> ApiError {
    ApiError::NotFoundWith("Invalid page.")
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paginated<T> {
    /// How many items there are in all.
    pub count: i64,
    /// The next page, if any.
    pub next: Option<String>,
    /// The previous page, if any.
    pub previous: Option<String>,
    pub results: Vec<T>,
}

impl<T> Paginated<T> {
    /// The page `page` of `count` items at `base` (absolute URL of the list, without query).
    pub fn new(results: Vec<T>, count: i64, page: Page, base: &str) -> Self {
        let link = |number: i64| {
            if number == 1 && page.size == DEFAULT_PAGE_SIZE {
                base.to_owned()
            } else if page.size == DEFAULT_PAGE_SIZE {
                format!("{base}?page={number}")
            } else {
                format!("{base}?page={number}&page_size={}", page.size)
            }
        };
        let has_next = page.number.saturating_mul(page.size) < count;
        Self {
            count,
            next: has_next.then(|| link(page.number + 1)),
            previous: (page.number > 1).then(|| link(page.number - 1)),
            results,
        }
    }
}
