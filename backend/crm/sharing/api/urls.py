from django.urls import re_path

from crm.records.registry import registered

from ..rules import OBJECTS, model_of
from . import views

urlpatterns = [
    re_path(r"^organization/sharing/?$", views.SharingDefaultsView.as_view(), name="organization-sharing"),
]

for _name in OBJECTS:
    _path = registered()[_name].api_path
    _list, _detail = views.share_views(model_of(_name))
    urlpatterns += [
        re_path(rf"^{_path}/(?P<pk>[0-9]+)/shares/?$", _list.as_view(), name=f"{_name}-shares"),
        re_path(rf"^{_path}/(?P<pk>[0-9]+)/shares/(?P<share_id>[0-9]+)/?$", _detail.as_view(), name=f"{_name}-share"),
    ]
