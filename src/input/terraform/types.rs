//! A variable's `type` constraint applied to the value it is given, as Terraform
//! converts it before anything reads the variable: `set(string)` makes a list of
//! strings a set (which `for_each` takes), `object({...})` fills the attributes
//! `optional(type, default)` leaves out, `number` makes `"3"` a number. The
//! constraint is read from its parsed expression; a kind of type srmlint does not know
//! leaves the value as it is.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};

use super::eval::{Fail, Value, number_text, set_of};

/// `value` converted to the type `constraint` writes (`None`: `any`); `default`
/// evaluates the default of an `optional(type, default)` attribute. What Terraform
/// would refuse is an error saying why.
pub fn convert(
    value: Value,
    constraint: Option<&Expression>,
    default: &mut dyn FnMut(&Expression) -> Value,
) -> Result<Value, Fail> {
    let (name, args): (&str, Vec<&Expression>) = match constraint {
        Some(Expression::Variable(name)) => (name.as_str(), Vec::new()),
        Some(Expression::FuncCall(call)) if !call.name.is_namespaced() => {
            (call.name.name.as_str(), call.args.iter().collect())
        }
        _ => return Ok(value),
    };
    // Unknown and null values convert to any type unchanged.
    if matches!(value, Value::Unknown(_) | Value::Null) {
        return Ok(value);
    }
    // `list` alone is `list(any)`.
    let element = args.first().copied();
    match (name, value) {
        ("string", Value::String(text, place)) => Ok(Value::String(text, place)),
        ("string", Value::Number(number)) => Ok(Value::string(number_text(number))),
        ("string", Value::Bool(flag)) => Ok(Value::string(flag.to_string())),
        ("number", Value::String(text, _)) => text
            .parse()
            .map(Value::Number)
            .map_err(|_| Fail(format!("`{}` is not a number", quoted(&text)))),
        ("bool", Value::String(text, _)) => match text.as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(Fail(format!("`{}` is not a bool", quoted(&text)))),
        },
        ("number", value @ Value::Number(_))
        | ("bool", value @ Value::Bool(_))
        | ("any", value) => Ok(value),
        ("list" | "set", Value::List(items) | Value::Set(items)) => {
            let items = items
                .into_iter()
                .map(|item| convert(item, element, default))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if name == "set" {
                set_of(items)
            } else {
                Value::List(items)
            })
        }
        ("tuple", Value::List(items) | Value::Set(items)) => {
            let Some(Expression::Array(types)) = args.first() else {
                return Ok(Value::List(items));
            };
            if types.len() != items.len() {
                return Err(Fail(format!(
                    "the tuple type has {} elements, the value {}",
                    types.len(),
                    items.len()
                )));
            }
            items
                .into_iter()
                .zip(types.iter())
                .map(|(item, element)| convert(item, Some(element), default))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List)
        }
        ("map", Value::Map(items)) => items
            .into_iter()
            .map(|(key, item)| Ok((key, convert(item, element, default)?)))
            .collect::<Result<BTreeMap<_, _>, Fail>>()
            .map(Value::Map),
        ("object", Value::Map(mut items)) => {
            let Some(Expression::Object(attributes)) = args.first() else {
                return Ok(Value::Map(items));
            };
            // Attributes the type does not name are dropped, as Terraform drops them.
            let mut out = BTreeMap::new();
            for (key, attribute) in attributes.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    ObjectKey::Expression(Expression::Variable(ident)) => ident.as_str().to_owned(),
                    ObjectKey::Expression(Expression::String(text)) => text.value().clone(),
                    ObjectKey::Expression(_) => continue,
                };
                let (attribute, optional) = match attribute.expr() {
                    Expression::FuncCall(call) if call.name.name.as_str() == "optional" => {
                        let mut args = call.args.iter();
                        (args.next(), Some(args.next()))
                    }
                    written => (Some(written), None),
                };
                let value = match (items.remove(&key), optional) {
                    (Some(Value::Null) | None, Some(Some(written))) => default(written),
                    (Some(value), _) => value,
                    (None, Some(None)) => Value::Null,
                    (None, None) => return Err(Fail(format!("attribute `{key}` is required"))),
                };
                out.insert(key.clone(), convert(value, attribute, default)?);
            }
            Ok(Value::Map(out))
        }
        (
            kind @ ("string" | "number" | "bool" | "list" | "set" | "tuple" | "map" | "object"),
            value,
        ) => Err(Fail(format!("{} is not {}", value.kind(), article(kind)))),
        // A type srmlint does not know: the value as given.
        (_, value) => Ok(value),
    }
}

/// A string as a message quotes it: a value can be long.
fn quoted(text: &str) -> String {
    let mut shown: String = text.chars().take(60).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    shown
}

/// A type's name with its article, for messages.
fn article(kind: &str) -> String {
    match kind {
        "object" => "an object".to_owned(),
        _ => format!("a {kind}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` converted to the type written `constraint`.
    fn converted(value: Value, constraint: &str) -> Result<Value, Fail> {
        let constraint = hcl_edit::parser::parse_expr(constraint).unwrap();
        convert(value, Some(&constraint), &mut |_| Value::string("default"))
    }

    fn list<const N: usize>(items: [Value; N]) -> Value {
        Value::List(items.into())
    }

    #[test]
    fn values_convert_as_terraform_converts_them() {
        let (two, yes) = (Value::string("2"), Value::string("true"));
        assert_eq!(converted(two.clone(), "number"), Ok(Value::Number(2.0)));
        assert_eq!(converted(yes, "bool"), Ok(Value::Bool(true)));
        assert_eq!(
            converted(Value::Number(2.5), "string"),
            Ok(Value::string("2.5"))
        );
        let tuple = converted(list([two.clone(), two.clone()]), "tuple([string, number])");
        assert_eq!(tuple, Ok(list([two.clone(), Value::Number(2.0)])));
        let set = converted(
            list([Value::string("b"), Value::string("a"), Value::string("b")]),
            "set(string)",
        );
        assert_eq!(
            set,
            Ok(Value::Set(vec![Value::string("a"), Value::string("b")]))
        );
        assert_eq!(
            converted(Value::Set(vec![two.clone()]), "list(any)"),
            Ok(list([two.clone()]))
        );
        let object = Value::Map(
            [
                ("a".to_owned(), two.clone()),
                ("extra".to_owned(), two.clone()),
            ]
            .into(),
        );
        let expected = Value::Map(
            [
                ("a".to_owned(), Value::Number(2.0)),
                ("b".to_owned(), Value::Null),
                ("c".to_owned(), Value::string("default")),
            ]
            .into(),
        );
        let written =
            "map(object({ a = number, b = optional(string), c = optional(string, \"x\") }))";
        let map = Value::Map([("k".to_owned(), object)].into());
        assert_eq!(
            converted(map, written),
            Ok(Value::Map([("k".to_owned(), expected)].into()))
        );
        // Unknowns and nulls stay; a type srmlint does not know leaves the value.
        assert!(matches!(
            converted(Value::unknown("why"), "number"),
            Ok(Value::Unknown(_))
        ));
        assert_eq!(converted(Value::Null, "list(string)"), Ok(Value::Null));
        assert_eq!(converted(two.clone(), "custom(thing)"), Ok(two.clone()));
        // What Terraform refuses is said.
        assert!(converted(list([two.clone()]), "tuple([string, string])").is_err());
        assert!(converted(Value::Map(Default::default()), "object({ a = string })").is_err());
        assert!(converted(two, "list(string)").is_err());
    }
}
