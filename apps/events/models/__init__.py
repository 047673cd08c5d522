"""Programme events, their attendance and certificates, materials and targets."""
from .attendance import Certificate, CertificateRun, Participant
from .events import Event, EventMunicipality, MediaCoverage
from .materials import Distribution, Material, MaterialStock, ProgrammeTarget, PublicPageSetting

__all__ = [
    "Certificate",
    "CertificateRun",
    "Distribution",
    "Event",
    "EventMunicipality",
    "Material",
    "MaterialStock",
    "MediaCoverage",
    "Participant",
    "ProgrammeTarget",
    "PublicPageSetting",
]
