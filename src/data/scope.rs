//! The deployment as the matrix sees it: which known services are in use, and which
//! service models they bring in. Every judgement of a controls file (the rules, the
//! report, JUnit's test cases, `init`) starts from this one computation.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::matrix::{Control, Matrix};
use crate::text::Sp;

#[derive(Debug, Clone, Default)]
pub struct DeploymentScope {
    /// Known service ids in use.
    pub services: BTreeSet<String>,
    /// Each model in use, with the first `services` value that brings it in.
    pub models: BTreeMap<String, Sp<String>>,
}

impl DeploymentScope {
    /// The scope of the services a deployment lists; unknown services bring in nothing.
    pub fn of<'s>(matrix: &Matrix, services: impl IntoIterator<Item = &'s Sp<String>>) -> Self {
        let mut scope = Self::default();
        for service in services {
            if let Some(model) = matrix.model_of_service(&service.value) {
                scope.services.insert(service.value.clone());
                scope
                    .models
                    .entry(model.to_owned())
                    .or_insert_with(|| service.clone());
            }
        }
        scope
    }

    /// The scope of service ids with no place in a file (`init`): their order stands
    /// in for the place.
    pub fn of_ids<'s>(matrix: &Matrix, services: impl IntoIterator<Item = &'s String>) -> Self {
        let spanned: Vec<Sp<String>> = services
            .into_iter()
            .enumerate()
            .map(|(index, service)| Sp::new(service.clone(), index..index))
            .collect();
        Self::of(matrix, &spanned)
    }

    /// The controls of `matrix` with a part in a model in use, in matrix order.
    pub fn applicable<'m>(&self, matrix: &'m Matrix) -> impl Iterator<Item = &'m Control> {
        matrix.controls.iter().filter(move |control| {
            matrix
                .owner_over(control, self.model_ids(), &self.services)
                .is_some()
        })
    }

    /// Model ids in id order.
    pub fn model_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.models.keys().map(String::as_str)
    }

    /// Model ids in the order the `services` list brings them in: the columns of the
    /// report's grid and the order `init` describes them in.
    pub fn models_in_file_order(&self) -> Vec<&str> {
        let mut ordered: Vec<(&str, usize)> = self
            .models
            .iter()
            .map(|(model, service)| (model.as_str(), service.span.start))
            .collect();
        ordered.sort_by_key(|&(model, start)| (start, model));
        ordered.into_iter().map(|(model, _)| model).collect()
    }
}
