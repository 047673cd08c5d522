from django.urls import path

from . import views, views_profile, views_staff

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("2fa/verify/", views.OTPVerifyView.as_view(), name="otp_verify"),
    path("2fa/setup/", views.OTPSetupView.as_view(), name="otp_setup"),
    path("acting-as/", views.SwitchMembershipView.as_view(), name="switch_membership"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invite/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("staff/", views_staff.StaffView.as_view(), name="staff"),
    path("staff/invite/", views_staff.InviteView.as_view(), name="staff_invite"),
    path("staff/invite/csv/", views_staff.InviteCsvView.as_view(), name="staff_invite_csv"),
    path("staff/invite/csv/template/", views_staff.InviteCsvTemplateView.as_view(), name="staff_invite_csv_template"),
    path("staff/invitations/<int:pk>/revoke/", views_staff.InvitationRevokeView.as_view(), name="invitation_revoke"),
    path("staff/memberships/<int:pk>/end/", views_staff.MembershipEndView.as_view(), name="membership_end"),
    path("new-access/", views_staff.AccessNoticeListView.as_view(), name="access_notices"),
    path("staff/memberships/<int:pk>/reset-2fa/", views_staff.TotpResetView.as_view(), name="totp_reset"),
    path("profile/", views_profile.ProfileView.as_view(), name="profile"),
    path("profile/password/", views_profile.PasswordChangeView.as_view(), name="password_change"),
    path("profile/api-tokens/new/", views_profile.ApiTokenCreateView.as_view(), name="api_token_create"),
    path("profile/api-tokens/revoke/", views_profile.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
]
