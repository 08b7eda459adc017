from django.contrib.auth import views as auth_views
from django.urls import path

from jixiao.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.user_page, name="user"),
    path("tokens/", views.tokens, name="tokens"),
    path("password/", views.PasswordChangeView.as_view(), name="password"),
]
