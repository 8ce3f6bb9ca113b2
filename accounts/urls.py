from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("confirm-password/", views.confirm_password, name="confirm_password"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invitation/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
    path("invitation/welcome/", views.invitation_welcome, name="invitation_welcome"),
    path("two-factor/", two_factor_views.two_factor_home, name="two_factor"),
    path("two-factor/enrol/", two_factor_views.two_factor_enrol, name="two_factor_enrol"),
    path("two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="recovery_codes"),
    path(
        "two-factor/recovery-codes/download/", two_factor_views.recovery_codes_download, name="recovery_codes_download"
    ),
    path("two-factor/recovery-codes/renew/", two_factor_views.recovery_codes_renew, name="recovery_codes_renew"),
    path("two-factor/disable/", two_factor_views.two_factor_disable, name="two_factor_disable"),
    path("two-factor/policy/", two_factor_views.two_factor_policy, name="two_factor_policy"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
