"""Error pages speak the user's language inside the site layout and never show what was asked for."""
import pytest


@pytest.mark.django_db
def test_404_is_a_translated_page_of_the_site(world, verified_client):
    from apps.core.choices import Role

    client = verified_client(world.users[Role.CASEWORKER])
    client.cookies["kzn_language"] = "en"
    response = client.get(f"/institutions/{world.csr_b.pk}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'class="topbar"' in body, "the page keeps the navigation"
    assert world.csr_b.name not in body


@pytest.mark.django_db
def test_500_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<h1>" in html
