"""Reciprocity URLs: the partner's own claims, payments and thank-yous under /my/,
the staff claims and finance pages under /staff/, and receipts (claimant and
finance staff only)."""

from django.urls import path

from . import claim_steps
from . import views

app_name = "reciprocity"

urlpatterns = [
    # --- Partner self-service ---
    path("my/claims/", views.my_claims, name="my_claims"),
    path("my/claims/new/", claim_steps.what, name="my_claim_create"),
    path("my/claims/new/fee/", claim_steps.fee, name="my_claim_step_fee"),
    path("my/claims/new/costs/", claim_steps.costs, name="my_claim_step_costs"),
    path("my/claims/<int:pk>/check/", claim_steps.check, name="my_claim_check"),
    path("my/claims/<int:pk>/change/<slug:step>/", claim_steps.change, name="my_claim_change"),
    path("my/claims/<int:pk>/", views.my_claim_detail, name="my_claim_detail"),
    path("my/claims/<int:pk>/costs/", views.my_claim_cost_add, name="my_claim_cost_add"),
    path(
        "my/claims/<int:pk>/costs/<int:item>/remove/", views.my_claim_cost_remove, name="my_claim_cost_remove"
    ),
    path("my/claims/<int:pk>/send/", views.my_claim_submit, name="my_claim_submit"),
    path("my/claims/<int:pk>/cancel/", views.my_claim_withdraw, name="my_claim_withdraw"),
    path("my/claims/<int:pk>/decline/", views.my_claim_decline, name="my_claim_decline"),
    path("my/claims/<int:pk>/ask-for-less/", views.my_claim_ask_less, name="my_claim_ask_less"),
    path("my/payments/", views.my_payments, name="my_payments"),
    path("my/thank-yous/", views.my_recognition, name="my_recognition"),
    path("my/thank-yous/certificate/", views.my_certificate, name="my_certificate"),
    path("my/thank-yous/statement/", views.my_statement, name="my_statement"),
    # --- Receipts: the claimant and finance staff ---
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    # --- Staff: claims ---
    path("staff/claims/", views.claim_list, name="claim_list"),
    path("staff/claims/new/", views.claim_create, name="claim_create"),
    path("staff/claims/new/<int:partner>/", views.claim_create_for, name="claim_create_for"),
    path("staff/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("staff/claims/<int:pk>/costs/", views.claim_cost_add, name="claim_cost_add"),
    path("staff/claims/<int:pk>/costs/<int:item>/remove/", views.claim_cost_remove, name="claim_cost_remove"),
    path("staff/claims/<int:pk>/submit/", views.claim_submit, name="claim_submit"),
    path("staff/claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("staff/claims/<int:pk>/approve/", views.claim_approve, name="claim_approve"),
    path("staff/claims/<int:pk>/reject/", views.claim_reject, name="claim_reject"),
    path("staff/claims/<int:pk>/return/", views.claim_return, name="claim_return"),
    path("staff/claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    # --- Staff: finance ---
    path("staff/finance/", views.finance, name="finance"),
    path("staff/finance/export.csv", views.finance_export, name="finance_export"),
    path("staff/finance/settings/", views.settings_edit, name="settings_edit"),
    path("staff/finance/rates/", views.rate_list, name="rate_list"),
    path("staff/finance/rates/new/", views.rate_create, name="rate_create"),
    path("staff/finance/rates/<int:pk>/edit/", views.rate_edit, name="rate_edit"),
    path("staff/finance/activity-types/new/", views.activity_type_create, name="activity_type_create"),
    path("staff/finance/activity-types/<int:pk>/edit/", views.activity_type_edit, name="activity_type_edit"),
    path("staff/finance/funding/", views.funding_list, name="funding_list"),
    path("staff/finance/funding/new/", views.funding_create, name="funding_create"),
    path("staff/finance/funding/<int:pk>/", views.funding_detail, name="funding_detail"),
    path("staff/finance/funding/<int:pk>/edit/", views.funding_edit, name="funding_edit"),
    path("staff/finance/benefit-rules/", views.benefit_rule_list, name="benefit_rule_list"),
    path("staff/finance/benefit-rules/new/", views.benefit_rule_create, name="benefit_rule_create"),
    path("staff/finance/benefit-rules/<int:pk>/edit/", views.benefit_rule_edit, name="benefit_rule_edit"),
    path("staff/finance/vouchers/", views.voucher_list, name="voucher_list"),
    path("staff/finance/vouchers/new/", views.voucher_batch_create, name="voucher_batch_create"),
    path("staff/finance/vouchers/<int:pk>/", views.voucher_batch_detail, name="voucher_batch_detail"),
    path("staff/finance/vouchers/<int:pk>/codes/", views.voucher_codes_add, name="voucher_codes_add"),
    # --- Staff: recognition ---
    path("staff/recognition/", views.recognition_list, name="recognition_list"),
    path("staff/recognition/new/", views.recognition_create, name="recognition_create"),
    path("staff/recognition/<int:pk>/edit/", views.recognition_edit, name="recognition_edit"),
]
