"""The names that play a role in the journey figures: event roles (page view, cart, purchase…) in GA4, Universal
Analytics, Matomo, French and English. What an order's status says (cancelled, returned) is read in one place,
`cx/sql/staging/order_status.sql`."""

from __future__ import annotations

#: Lower-case event names that play a role in the KPIs (GA4 first, then UA, Matomo and French custom names).
#: Matomo's visit log names its action types: 'action' is a page view, 'ecommerceOrder' an order.
EVENT_ROLES = {
    "page_view": ("page_view", "pageview", "screen_view", "vue_page", "page_vue", "action"),
    "product_view": ("view_item", "view_product", "product_view", "vue_produit"),
    "cart": ("add_to_cart", "addtocart", "ajout_panier", "ajout_au_panier"),
    "checkout": ("begin_checkout", "checkout", "debut_commande"),
    "payment_info": ("add_payment_info", "paiement"),
    "payment_error": ("payment_error", "payment_failed", "erreur_paiement", "paiement_refuse"),
    "purchase": ("purchase", "ecommerce_purchase", "transaction", "order_completed", "ecommerceorder", "achat"),
    "lead": ("generate_lead", "sign_up", "lead", "inscription", "demande_devis"),
    "ad_impression": ("ad_impression", "ad_view"),
    "ad_click": ("ad_click", "click_ad"),
}


def role_params() -> dict:
    """The event-role lists bound by the session and KPI queries: `$page_view_events`, `$cart_events`…"""
    return {f"{role}_events": list(names) for role, names in EVENT_ROLES.items()}
