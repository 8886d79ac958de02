from __future__ import annotations

import pytest
from conftest import client_for, make_user

from crm.core.scoping import org_scope
from crm.identity.models import Role
from crm.sales.models import Product

from .factories import ProductFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.data
    return [row["id"] for row in response.data["results"]]


def test_admin_creates_a_product(admin_api, admin):
    response = admin_api.post(
        "/api/v1/products",
        {
            "name": "Monthly SEO Package",
            "product_code": "SEO-M",
            "standard_list_price": "450.00",
            "is_retainer_product": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["standard_list_price"] == "450.00"
    assert response.data["is_retainer_product"] is True
    assert response.data["is_active"] is True


def test_price_defaults_to_zero_and_cannot_be_negative(admin_api):
    created = admin_api.post("/api/v1/products", {"name": "Free audit"}, format="json")
    assert created.status_code == 201
    assert created.data["standard_list_price"] == "0.00"
    negative = admin_api.post("/api/v1/products", {"name": "X", "standard_list_price": "-5"}, format="json")
    assert negative.status_code == 400
    assert "standard_list_price" in negative.data["errors"]
    assert "name" in admin_api.post("/api/v1/products", {}, format="json").data["errors"]


@pytest.mark.parametrize("role", [Role.USER, Role.MANAGER])
def test_non_admins_cannot_write(role, org, admin):
    client = client_for(make_user(org, role))
    product = ProductFactory(owner=admin)
    assert client.post("/api/v1/products", {"name": "Hack"}, format="json").status_code == 403
    response = client.put(f"/api/v1/products/{product.pk}", {"name": "Hack", "version": 1}, format="json")
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name != "Hack"


def test_owner_can_write(org):
    client = client_for(make_user(org, Role.OWNER))
    assert client.post("/api/v1/products", {"name": "Logo Design"}, format="json").status_code == 201


def test_non_admins_never_see_inactive_products(api, admin):
    active = ProductFactory(owner=admin)
    retired = ProductFactory(owner=admin, is_active=False)
    assert ids(api.get("/api/v1/products")) == [active.pk]
    assert ids(api.get("/api/v1/products", {"is_active": "false"})) == []
    assert ids(api.get("/api/v1/products", {"include_inactive": "true"})) == [active.pk]
    # the detail stays readable: old deals still name the product
    assert api.get(f"/api/v1/products/{retired.pk}").status_code == 200


def test_admins_see_inactive_products_when_asked(admin_api, admin):
    active = ProductFactory(owner=admin, name="A")
    retired = ProductFactory(owner=admin, name="B", is_active=False)
    assert ids(admin_api.get("/api/v1/products")) == [active.pk]
    assert ids(admin_api.get("/api/v1/products", {"is_active": "false"})) == [retired.pk]
    assert ids(admin_api.get("/api/v1/products", {"include_inactive": "true"})) == [active.pk, retired.pk]


def test_deactivate_keeps_the_row(admin_api, admin):
    product = ProductFactory(owner=admin)
    response = admin_api.put(f"/api/v1/products/{product.pk}", {"is_active": False, "version": 1}, format="json")
    assert response.status_code == 200
    with org_scope(admin.organization_id):
        assert Product.objects.filter(pk=product.pk, is_active=False).exists()


def test_search_and_ordering(api, admin):
    ProductFactory(owner=admin, name="Logo Design", standard_list_price="800.00")
    ProductFactory(owner=admin, name="New Website Build", standard_list_price="5000.00")
    assert [r["name"] for r in api.get("/api/v1/products", {"search": "logo"}).data["results"]] == ["Logo Design"]
    rows = api.get("/api/v1/products", {"ordering": "-standard_list_price"}).data["results"]
    assert [r["name"] for r in rows] == ["New Website Build", "Logo Design"]
    assert api.get("/api/v1/products", {"is_retainer_product": "true"}).data["results"] == []


def test_other_organization_gets_404(admin, other_api):
    product = ProductFactory(owner=admin)
    assert other_api.get(f"/api/v1/products/{product.pk}").status_code == 404
