"""The device models of Oxidized and the device types of RANCID, as netmiko device types.

A name missing here is refused with the closest known one; a site maps its own names with
``--map NAME=DEVICE_TYPE`` (:func:`model_table`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from netraven.exceptions import InventoryError
from netraven.inventory.validation import check_platform, show

#: Oxidized model (``lib/oxidized/model/<name>.rb``, any case) -> netmiko device type. ``cisco`` and
#: ``juniper`` are the names of Oxidized's default ``model_map``.
OXIDIZED: dict[str, str] = {
    "acos": "a10",
    "adtran": "adtran_os",
    "aireos": "cisco_wlc",
    "aos": "alcatel_aos",
    "aos7": "alcatel_aos",
    "aoscx": "aruba_aoscx",
    "aosw": "aruba_os",
    "asa": "cisco_asa",
    "asternos": "asterfusion_asternos",
    "awplus": "allied_telesis_awplus",
    "boss": "extreme_ers",
    "casa": "casa_cmts",
    "cisco": "cisco_ios",
    "ciscosmb": "cisco_s300",
    "cnos": "centec_os",
    "comware": "hp_comware",
    "cumulus": "cumulus_linux",
    "dlink": "dlink_ds",
    "dnos": "dell_force10",
    "edgeos": "ubiquiti_edgerouter",
    "edgeswitch": "ubiquiti_edgeswitch",
    "eltex": "eltex",
    "enterasys": "enterasys",
    "enterprisesonic": "dell_sonic",
    "eos": "arista_eos",
    "fastiron": "ruckus_fastiron",
    "firelinuxos": "cisco_ftd",
    "fortios": "fortinet",
    "fsos": "fiberstore_fsos",
    "ftos": "dell_force10",
    "gaiaos": "checkpoint_gaia",
    "h3c": "hp_comware",
    "hios": "hirschmann_hios",
    "ios": "cisco_ios",
    "iosxr": "cisco_xr",
    "ipos": "ericsson_ipos",
    "ironware": "brocade_netiron",
    "juniper": "juniper_junos",
    "junos": "juniper_junos",
    "linuxgeneric": "linux",
    "mlnxos": "mellanox_mlnxos",
    "netgear": "netgear_prosafe",
    "netscaler": "netscaler",
    "nos": "brocade_nos",
    "nxos": "cisco_nxos",
    "ocnos": "ipinfusion_ocnos",
    "os10": "dell_os10",
    "os6": "dell_os6",
    "panos": "paloalto_panos",
    "powerconnect": "dell_powerconnect",
    "procurve": "hp_procurve",
    "raisecom": "raisecom_roap",
    "rgos": "ruijie_os",
    "routeros": "mikrotik_routeros",
    "saos": "ciena_saos",
    "saos10": "ciena_saos10",
    "screenos": "juniper_screenos",
    "slxos": "extreme_slx",
    "smartax": "huawei_smartax",
    "sros": "nokia_sros",
    "tmos": "f5_tmsh",
    "tplink": "tplink_jetstream",
    "voss": "extreme_vsp",
    "vrp": "huawei",
    "vyatta": "vyos",
    "vyos": "vyos",
    "xos": "extreme_exos",
    "yamaha": "yamaha",
    "zynos": "zyxel_os",
}

#: RANCID device type (``rancid.types.base``, the second field of ``router.db``) -> netmiko device
#: type. ``brocade`` is RANCID's Fibre Channel switch type, which netmiko does not drive.
RANCID: dict[str, str] = {
    "a10": "a10",
    "adtran": "adtran_os",
    "arista": "arista_eos",
    "bigip": "f5_tmsh",
    "bigip13": "f5_tmsh",
    "cisco": "cisco_ios",
    "cisco-nx": "cisco_nxos",
    "cisco-sb": "cisco_s300",
    "cisco-wlc4": "cisco_wlc",
    "cisco-wlc5": "cisco_wlc",
    "cisco-xr": "cisco_xr",
    "cisco-xr7": "cisco_xr",
    "dell": "dell_powerconnect",
    "enterasys": "enterasys",
    "extreme": "extreme_exos",
    "f5": "f5_tmsh",
    "force10": "dell_force10",
    "fortigate": "fortinet",
    "foundry": "ruckus_fastiron",
    "hp": "hp_procurve",
    "juniper": "juniper_junos",
    "juniper-srx": "juniper_junos",
    "mikrotik": "mikrotik_routeros",
    "netscaler": "netscaler",
    "netscreen": "juniper_screenos",
    "nxos": "cisco_nxos",
    "paloalto": "paloalto_panos",
    "redback": "ericsson_ipos",
}

TABLES: dict[str, Mapping[str, str]] = {"oxidized": OXIDIZED, "rancid": RANCID}
WORDS = {"oxidized": "model", "rancid": "device type"}


def model_table(tool: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """``tool``'s table (``oxidized`` or ``rancid``) with a site's own ``extra`` names added or
    replaced; each extra device type is checked (InventoryError naming it)."""
    table = dict(TABLES[tool])
    for name, platform in (extra or {}).items():
        key = name.strip().lower()
        if not key:
            raise InventoryError(f"--map {show(name)}: an empty {WORDS[tool]} name", field="map")
        try:
            table[key] = check_platform(platform)
        except InventoryError as exc:
            raise InventoryError(f"--map {key}={platform}: {exc}", field="map") from None
    return table


def resolve_model(tool: str, table: Mapping[str, str], name: str) -> str:
    """The device type of ``tool``'s model ``name`` (any case), or InventoryError with a suggestion."""
    key = name.strip().lower()
    if key in table:
        return table[key]
    word = WORDS[tool]
    if not key:
        raise InventoryError(f"no {word}")
    close = difflib.get_close_matches(key, sorted(table), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise InventoryError(f"unknown {tool} {word} {show(key)} ({hint}map it with --map {key}=DEVICE_TYPE)")
