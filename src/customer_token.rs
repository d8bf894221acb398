//! Signed customer tokens (`customer_auth = "signed"`).
//!
//! A storefront key is public: it sits in the page that embeds the widget. So that
//! such a key cannot act as any customer it names, the shop's backend mints a
//! short-lived token for the signed-in customer and the widget passes it on
//! (`data-customer-token` → `X-Customer-Token`). The token is
//!
//! ```text
//! v1.<expiry, unix seconds>.<hex HMAC-SHA256(secret, "v1.<expiry>.<customer id>")>.<customer id>
//! ```
//!
//! The customer id comes last so it may contain dots. The signature is checked in
//! constant time (`hmac`'s `verify_slice`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the customer token is malformed")]
    Malformed,
    #[error("the customer token's signature does not match")]
    BadSignature,
    #[error("the customer token expired")]
    Expired,
}

/// Longest lifetime a token may claim, in seconds (tokens are meant to be short-lived;
/// one that claims more is refused as if forged).
pub const MAX_TTL_SECS: u64 = 24 * 3600;

fn mac(secret: &str, expiry: u64, customer: &str) -> Hmac<Sha256> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(format!("v1.{expiry}.{customer}").as_bytes());
    m
}

/// Mints a token for `customer`, valid until `expiry` (unix seconds).
pub fn mint(secret: &str, customer: &str, expiry: u64) -> String {
    let sig = hex::encode(mac(secret, expiry, customer).finalize().into_bytes());
    format!("v1.{expiry}.{sig}.{customer}")
}

/// The customer a token vouches for, if it is well-formed, signed with `secret`, not
/// expired at `now` (unix seconds) and not claiming more than [`MAX_TTL_SECS`].
pub fn verify(secret: &str, token: &str, now: u64) -> Result<String, TokenError> {
    let mut parts = token.trim().splitn(4, '.');
    let (Some("v1"), Some(expiry), Some(sig), Some(customer)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let expiry: u64 = expiry.parse().map_err(|_| TokenError::Malformed)?;
    let sig = hex::decode(sig).map_err(|_| TokenError::Malformed)?;
    if customer.is_empty() {
        return Err(TokenError::Malformed);
    }
    mac(secret, expiry, customer)
        .verify_slice(&sig)
        .map_err(|_| TokenError::BadSignature)?;
    if expiry <= now || expiry > now.saturating_add(MAX_TTL_SECS) {
        return Err(TokenError::Expired);
    }
    Ok(customer.to_string())
}

/// Now, in unix seconds.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "a-secret-of-at-least-thirty-two-chars";

    #[test]
    fn a_minted_token_verifies_and_names_its_customer() {
        let t = mint(SECRET, "cust.42", 1_000 + 600);
        assert_eq!(verify(SECRET, &t, 1_000).unwrap(), "cust.42");
    }

    #[test]
    fn forged_expired_and_malformed_tokens_are_refused() {
        let t = mint(SECRET, "alice", 1_600);
        // Another customer's id under alice's signature.
        let forged = t.replace(".alice", ".bob");
        assert_eq!(
            verify(SECRET, &forged, 1_000),
            Err(TokenError::BadSignature)
        );
        // A later expiry under the old signature.
        let stretched = t.replacen("1600", "1900", 1);
        assert_eq!(
            verify(SECRET, &stretched, 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            verify("another-secret-entirely-0000000000", &t, 1_000),
            Err(TokenError::BadSignature)
        );
        assert_eq!(verify(SECRET, &t, 1_600), Err(TokenError::Expired));
        let too_long = mint(SECRET, "alice", 1_000 + MAX_TTL_SECS + 1);
        assert_eq!(verify(SECRET, &too_long, 1_000), Err(TokenError::Expired));
        for bad in [
            "",
            "v1",
            "v2.1600.00.alice",
            "v1.x.00.alice",
            "v1.1600.zz.alice",
            "v1.1600.00.",
        ] {
            assert_eq!(
                verify(SECRET, bad, 1_000),
                Err(TokenError::Malformed),
                "{bad}"
            );
        }
    }
}
