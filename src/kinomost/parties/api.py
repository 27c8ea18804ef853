from ninja import Router, Schema

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    names: dict[str, str]  # the name per language (BCP 47 tag → name)
    kind: str
    country: str
    role: str


@router.get("/me", response=OrganisationOut, summary="The organisation this request acts for, and its role")
def me(request):
    actor = request.auth
    org = actor.organisation
    return {
        "id": org.pk,
        "slug": org.slug,
        "name": org.name,
        "names": org.names or {},
        "kind": org.kind,
        "country": org.country,
        "role": actor.role,
    }
