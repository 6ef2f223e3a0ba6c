// pcsc-lite IFD handler 3.0 entry points (pcsc-lite src/PCSC/ifdhandler.h)
// of libifd-mynacard-virtual.so. Every entry point goes through guarded(),
// the one place where C++ exceptions become IFD_* codes; nothing throws
// across the C ABI.

#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

extern "C" {
#include <ifdhandler.h>
#include <reader.h>
}

#include "core/bytes.h"
#include "virtual/device_name.h"
#include "virtual/log.h"
#include "virtual/protocol.h"
#include "virtual/simulator.h"

namespace mynacard::virtual_reader {
namespace {

// The handler's state. Created by the first IFDHCreateChannel*, destroyed
// by the last IFDHCloseChannel (which also stops and joins the control
// thread). The holder itself is a function-local heap object that is never
// destroyed, so no global has a non-trivial destructor.
struct Globals {
    std::mutex mutex;
    std::shared_ptr<Simulator> simulator;
    std::size_t channels = 0;
};

Globals& globals() {
    static Globals* g = std::make_unique<Globals>().release();
    return *g;
}

std::shared_ptr<Simulator> current() {
    auto& g = globals();
    std::lock_guard lock(g.mutex);
    return g.simulator;
}

// Capability values (pcsc-lite ifdhandler.h / reader.h tags).
constexpr std::uint8_t simultaneous_readers = max_readers;  // TAG_IFD_SIMULTANEOUS_ACCESS
constexpr std::uint32_t ifd_version = 0x00010000;           // 0xMMmmbbbb: 0.1.0
constexpr std::uint32_t channel_type_vendor =
    0x00F0;  // SCARD_ATTR_CHANNEL_ID DDDD (PC/SC part 3 §3.1.1: F0 vendor-defined)
constexpr std::uint32_t max_ifsd = 254;  // card-facts.md §1.1 IFSC 0xFE

template <typename F>
RESPONSECODE guarded(const char* where, F&& body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc&) {
        log_error(std::string(where) + ": out of memory");
    } catch (const std::exception& e) {
        log_error(std::string(where) + ": " + e.what());
    } catch (...) {
        log_error(std::string(where) + ": unknown exception");
    }
    return IFD_COMMUNICATION_ERROR;
}

RESPONSECODE put(PDWORD length, PUCHAR value, ByteView data) {
    if (length == nullptr || value == nullptr) return IFD_COMMUNICATION_ERROR;
    if (*length < data.size()) return IFD_ERROR_INSUFFICIENT_BUFFER;
    if (!data.empty()) std::memcpy(value, data.data(), data.size());
    *length = static_cast<DWORD>(data.size());
    return IFD_SUCCESS;
}

RESPONSECODE put_u8(PDWORD length, PUCHAR value, std::uint8_t v) {
    const std::array<std::uint8_t, 1> b{v};
    return put(length, value, b);
}

// SCardGetAttrib DWORD attributes are 4 bytes, host order (as CCID does).
RESPONSECODE put_u32(PDWORD length, PUCHAR value, std::uint32_t v) {
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &v, b.size());
    return put(length, value, b);
}

RESPONSECODE put_string(PDWORD length, PUCHAR value, const std::string& s) {
    // NUL-terminated, as CCID returns SCARD_ATTR_VENDOR_NAME.
    Bytes b(s.begin(), s.end());
    b.push_back(0);
    return put(length, value, b);
}

RESPONSECODE to_ifd(Outcome o) {
    switch (o) {
        case Outcome::ok:
            return IFD_SUCCESS;
        case Outcome::present:
            return IFD_ICC_PRESENT;
        case Outcome::absent:
            return IFD_ICC_NOT_PRESENT;
        case Outcome::no_such_reader:
            return IFD_NO_SUCH_DEVICE;
        case Outcome::communication_error:
            return IFD_COMMUNICATION_ERROR;
        case Outcome::timeout:
            return IFD_RESPONSE_TIMEOUT;
        case Outcome::not_supported:
            return IFD_ERROR_NOT_SUPPORTED;
    }
    return IFD_COMMUNICATION_ERROR;
}

RESPONSECODE open(DWORD lun, const std::string& device_name) {
    auto device = parse_device_name(device_name);
    if (!device) {
        log_error("unrecognised DEVICENAME \"" + device_name +
                  "\" (expected mynacard-virtual:<index>:contact|contactless[+pinpad])");
        return IFD_NO_SUCH_DEVICE;
    }
    auto& g = globals();
    std::lock_guard lock(g.mutex);
    if (!g.simulator) g.simulator = std::make_shared<Simulator>(socket_path_from_environment());
    std::string error;
    if (g.simulator->open_channel(static_cast<std::uint32_t>(lun), *device, error) != Outcome::ok) {
        log_error("cannot open " + device_name + ": " + error);
        if (g.channels == 0) g.simulator.reset();
        return IFD_COMMUNICATION_ERROR;
    }
    ++g.channels;
    g.simulator->start_server();
    log_info("reader " + std::to_string(device->index) + " (" + to_string(device->mode) +
             (device->pinpad ? ", PIN pad" : "") + ") ready, empty");
    return IFD_SUCCESS;
}

}  // namespace
}  // namespace mynacard::virtual_reader

using namespace mynacard;
using namespace mynacard::virtual_reader;

extern "C" {

__attribute__((visibility("default"))) RESPONSECODE IFDHCreateChannelByName(DWORD Lun,
                                                                            LPSTR DeviceName) {
    return guarded("IFDHCreateChannelByName", [&]() -> RESPONSECODE {
        return open(Lun, DeviceName != nullptr ? std::string(DeviceName) : std::string());
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHCreateChannel(DWORD Lun, DWORD Channel) {
    // No DEVICENAME: serve reader <Channel> as a contact reader.
    return guarded("IFDHCreateChannel", [&]() -> RESPONSECODE {
        return open(Lun, "mynacard-virtual:" + std::to_string(Channel) + ":contact");
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHCloseChannel(DWORD Lun) {
    return guarded("IFDHCloseChannel", [&]() -> RESPONSECODE {
        std::shared_ptr<Simulator> last;
        {
            auto& g = globals();
            std::lock_guard lock(g.mutex);
            if (!g.simulator) return IFD_SUCCESS;
            const bool empty = g.simulator->close_channel(static_cast<std::uint32_t>(Lun));
            if (g.channels > 0) --g.channels;
            if (empty) {
                last = std::move(g.simulator);
                g.channels = 0;
            }
        }
        if (last) last->stop_server();  // joins the control thread outside every lock
        return IFD_SUCCESS;
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHGetCapabilities(DWORD Lun, DWORD Tag,
                                                                        PDWORD Length,
                                                                        PUCHAR Value) {
    return guarded("IFDHGetCapabilities", [&]() -> RESPONSECODE {
        // Driver-wide tags first: pcscd asks them before and between channels.
        switch (Tag) {
            case TAG_IFD_SIMULTANEOUS_ACCESS:
                return put_u8(Length, Value, simultaneous_readers);
            case TAG_IFD_THREAD_SAFE:
                return put_u8(Length, Value, 1);
            case TAG_IFD_SLOTS_NUMBER:
                return put_u8(Length, Value, 1);
            case TAG_IFD_SLOT_THREAD_SAFE:
                return put_u8(Length, Value, 0);
            default:
                break;
        }
        auto sim = current();
        if (!sim) return IFD_NO_SUCH_DEVICE;
        auto r = sim->snapshot(static_cast<std::uint32_t>(Lun));
        if (!r) return IFD_NO_SUCH_DEVICE;
        const bool contactless = r->mode == ReaderMode::contactless;
        switch (Tag) {
            case TAG_IFD_ATR:
            case SCARD_ATTR_ATR_STRING:
                return put(Length, Value, r->atr);
            case SCARD_ATTR_ICC_PRESENCE:
                // PC/SC part 3: 0 not present, 2 present.
                return put_u8(Length, Value, r->present ? 2 : 0);
            case SCARD_ATTR_ICC_INTERFACE_STATUS:
                return put_u8(Length, Value, r->powered ? 1 : 0);
            case SCARD_ATTR_VENDOR_NAME:
                return put_string(Length, Value, "mynacard");
            case SCARD_ATTR_VENDOR_IFD_TYPE:
                return put_string(
                    Length, Value,
                    contactless ? "Virtual Reader (contactless)" : "Virtual Reader (contact)");
            case SCARD_ATTR_VENDOR_IFD_VERSION:
                return put_u32(Length, Value, ifd_version);
            case SCARD_ATTR_VENDOR_IFD_SERIAL_NO:
                return put_string(Length, Value, "mynacard-virtual-" + std::to_string(r->index));
            case SCARD_ATTR_CHANNEL_ID:
                return put_u32(Length, Value,
                               (channel_type_vendor << 16) | static_cast<std::uint32_t>(r->index));
            case SCARD_ATTR_CURRENT_PROTOCOL_TYPE:
                return put_u32(Length, Value, r->powered ? SCARD_PROTOCOL_T1 : 0);
            case SCARD_ATTR_MAX_IFSD:
            case SCARD_ATTR_CURRENT_IFSD:
            case SCARD_ATTR_CURRENT_IFSC:
                return put_u32(Length, Value, max_ifsd);
            case SCARD_ATTR_CHARACTERISTICS:
                return put_u32(Length, Value, 0);  // no swallow, eject or capture
            case SCARD_ATTR_USER_AUTH_INPUT_DEVICE:
            case SCARD_ATTR_USER_TO_CARD_AUTH_DEVICE:
                return put_u32(Length, Value, r->pinpad ? 1 : 0);
            default:
                return IFD_ERROR_TAG;  // incl. TAG_IFD_POLLING_THREAD*: pcscd polls us
        }
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHSetCapabilities(DWORD /*Lun*/,
                                                                        DWORD /*Tag*/,
                                                                        DWORD /*Length*/,
                                                                        PUCHAR /*Value*/) {
    return IFD_NOT_SUPPORTED;
}

__attribute__((visibility("default"))) RESPONSECODE IFDHSetProtocolParameters(
    DWORD Lun, DWORD Protocol, UCHAR /*Flags*/, UCHAR /*PTS1*/, UCHAR /*PTS2*/, UCHAR /*PTS3*/) {
    return guarded("IFDHSetProtocolParameters", [&]() -> RESPONSECODE {
        auto sim = current();
        if (!sim || !sim->snapshot(static_cast<std::uint32_t>(Lun))) return IFD_NO_SUCH_DEVICE;
        // APDUs go to the card unchanged whatever the protocol; the ATRs
        // offer T=1 (and contactless ATRs formally list T=0 too).
        if (Protocol == SCARD_PROTOCOL_T0 || Protocol == SCARD_PROTOCOL_T1) return IFD_SUCCESS;
        return IFD_PROTOCOL_NOT_SUPPORTED;
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHPowerICC(DWORD Lun, DWORD Action,
                                                                 PUCHAR Atr, PDWORD AtrLength) {
    return guarded("IFDHPowerICC", [&]() -> RESPONSECODE {
        if (AtrLength != nullptr && Action == IFD_POWER_DOWN) *AtrLength = 0;
        auto sim = current();
        if (!sim) return IFD_NO_SUCH_DEVICE;
        const auto lun = static_cast<std::uint32_t>(Lun);
        switch (Action) {
            case IFD_POWER_DOWN:
                return to_ifd(sim->power_down(lun));
            case IFD_POWER_UP:
            case IFD_RESET: {
                Bytes atr;
                const Outcome o = sim->power_up(lun, atr);
                if (o == Outcome::absent) return IFD_ERROR_POWER_ACTION;
                if (o != Outcome::ok) return to_ifd(o);
                if (Atr == nullptr || AtrLength == nullptr || atr.size() > MAX_ATR_SIZE)
                    return IFD_ERROR_POWER_ACTION;
                std::memcpy(Atr, atr.data(), atr.size());
                *AtrLength = static_cast<DWORD>(atr.size());
                return IFD_SUCCESS;
            }
            default:
                return IFD_NOT_SUPPORTED;
        }
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHTransmitToICC(
    DWORD Lun, SCARD_IO_HEADER SendPci, PUCHAR TxBuffer, DWORD TxLength, PUCHAR RxBuffer,
    PDWORD RxLength, PSCARD_IO_HEADER RecvPci) {
    return guarded("IFDHTransmitToICC", [&]() -> RESPONSECODE {
        if (RxLength == nullptr || RxBuffer == nullptr || (TxBuffer == nullptr && TxLength > 0))
            return IFD_COMMUNICATION_ERROR;
        const DWORD capacity = *RxLength;
        *RxLength = 0;
        auto sim = current();
        if (!sim) return IFD_NO_SUCH_DEVICE;
        Bytes response;
        const Outcome o =
            sim->transmit(static_cast<std::uint32_t>(Lun), ByteView(TxBuffer, TxLength), response);
        if (o != Outcome::ok) return to_ifd(o);
        if (response.size() > capacity) return IFD_ERROR_INSUFFICIENT_BUFFER;
        std::memcpy(RxBuffer, response.data(), response.size());
        *RxLength = static_cast<DWORD>(response.size());
        if (RecvPci != nullptr) {
            RecvPci->Protocol = SendPci.Protocol;
            RecvPci->Length = sizeof(SCARD_IO_HEADER);
        }
        return IFD_SUCCESS;
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHICCPresence(DWORD Lun) {
    return guarded("IFDHICCPresence", [&]() -> RESPONSECODE {
        auto sim = current();
        if (!sim) return IFD_NO_SUCH_DEVICE;
        return to_ifd(sim->presence(static_cast<std::uint32_t>(Lun)));
    });
}

__attribute__((visibility("default"))) RESPONSECODE IFDHControl(DWORD Lun, DWORD dwControlCode,
                                                                PUCHAR TxBuffer, DWORD TxLength,
                                                                PUCHAR RxBuffer, DWORD RxLength,
                                                                LPDWORD pdwBytesReturned) {
    return guarded("IFDHControl", [&]() -> RESPONSECODE {
        if (pdwBytesReturned != nullptr) *pdwBytesReturned = 0;
        if (TxBuffer == nullptr && TxLength > 0) return IFD_COMMUNICATION_ERROR;
        auto sim = current();
        if (!sim) return IFD_NO_SUCH_DEVICE;
        Bytes output;
        const Outcome o =
            sim->control(static_cast<std::uint32_t>(Lun), static_cast<std::uint32_t>(dwControlCode),
                         ByteView(TxBuffer, TxLength), output);
        if (o != Outcome::ok) return to_ifd(o);
        if (output.size() > RxLength || (RxBuffer == nullptr && !output.empty()))
            return IFD_ERROR_INSUFFICIENT_BUFFER;
        if (!output.empty()) std::memcpy(RxBuffer, output.data(), output.size());
        if (pdwBytesReturned != nullptr) *pdwBytesReturned = static_cast<DWORD>(output.size());
        return IFD_SUCCESS;
    });
}

}  // extern "C"
