from django.contrib.auth import views as auth_views
from django.urls import path

from kinomost.parties.throttle import ThrottledAuthenticationForm
from kinomost.web.views import avails, catalog, cinema, exchange, home, imports, mec, organisation, rights

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("organisation/", home.switch_organisation, name="switch-organisation"),
    path("studio/organisation/", organisation.organisation_page, name="organisation"),
    path("studio/organisation/api-keys/", organisation.create_api_key, name="api-key-create"),
    path("studio/organisation/api-keys/<str:prefix>/revoke/", organisation.revoke_api_key, name="api-key-revoke"),
    path("studio/works/", catalog.work_list, name="work-list"),
    path("studio/works/new/", catalog.work_edit, name="work-new"),
    path("studio/works/import/", imports.import_page, name="work-import"),
    path("studio/works/export/", imports.export_download, name="work-export"),
    path("studio/works/<int:work_id>/", catalog.work_detail, name="work-detail"),
    path("studio/works/<int:work_id>/edit/", catalog.work_edit, name="work-edit"),
    path("studio/works/<int:work_id>/mec/", mec.work_mec_download, name="work-mec"),
    path("studio/search/", catalog.search_page, name="search"),
    path("studio/works/<int:work_id>/rights/", rights.work_rights, name="work-rights"),
    path("studio/rights/", rights.contract_list, name="rights"),
    path("studio/rights/find/", rights.find_page, name="rights-find"),
    path("studio/rights/avails/", avails.avails_page, name="rights-avails"),
    path("studio/rights/avails/export/", avails.avails_export, name="rights-avails-export"),
    path("studio/rights/holdings/new/", rights.holding_new, name="rights-holding-new"),
    path("studio/rights/grants/new/", rights.grant_new, name="rights-grant-new"),
    path("studio/rights/holdbacks/new/", rights.holdback_new, name="rights-holdback-new"),
    path("studio/rights/contracts/<int:contract_id>/", rights.contract_detail, name="rights-contract"),
    path("studio/rights/contracts/<int:contract_id>/terminate/", rights.contract_terminate, name="rights-terminate"),
    path("studio/exchange/", exchange.exchange_home, name="exchange"),
    path("studio/exchange/offers/new/", exchange.offer_new, name="exchange-offer-new"),
    path("studio/exchange/offers/<int:offer_id>/", exchange.offer_detail, name="exchange-offer"),
    path("studio/exchange/offers/<int:offer_id>/send/", exchange.offer_send, name="exchange-offer-send"),
    path("studio/exchange/offers/<int:offer_id>/mec/", mec.offer_mec_download, name="exchange-offer-mec"),
    path("studio/exchange/deals/<int:deal_id>/", exchange.deal_detail, name="exchange-deal"),
    path("studio/exchange/deals/<int:deal_id>/counter/", exchange.deal_counter, name="exchange-deal-counter"),
    path("studio/exchange/deals/<int:deal_id>/messages/", exchange.deal_message, name="exchange-deal-message"),
    path("studio/exchange/deals/<int:deal_id>/steps/<str:step>/", exchange.deal_step, name="exchange-deal-step"),
    path("studio/exchange/approvals/", exchange.approval_list, name="exchange-approvals"),
    path("studio/exchange/approvals/<int:approval_id>/status/", exchange.approval_status, name="exchange-approval-status"),
    path("studio/exchange/quotas/", exchange.quota_page, name="exchange-quotas"),
    path("studio/exchange/balance/", exchange.balance_page, name="exchange-balance"),
    path("studio/exchange/inbox/", exchange.inbox_page, name="exchange-inbox"),
    path("studio/exchange/inbox/read/", exchange.inbox_read, name="exchange-inbox-read"),
    path("studio/cinema/", cinema.cinema_home, name="cinema"),
    path("studio/cinema/upload/", cinema.upload_page, name="cinema-upload"),
    path("studio/cinema/assets/<uuid:asset_id>/", cinema.asset_detail, name="cinema-asset"),
    path("studio/cinema/assets/<uuid:asset_id>/progress/", cinema.asset_progress, name="cinema-asset-progress"),
]
