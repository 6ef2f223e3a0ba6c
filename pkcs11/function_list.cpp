// The function lists and interfaces of mynacard-pkcs11.so (PKCS#11 3.0
// §5.4): C_GetFunctionList (2.40), C_GetInterfaceList and C_GetInterface
// (3.0 first), the only symbols the version script exports.
#include <cstring>
#include <iterator>
#include <type_traits>

#include "pkcs11/function_list.h"
#include "pkcs11/p11.h"

namespace {

// Functions the card cannot serve (no encryption, no object creation...):
// CKR_FUNCTION_NOT_SUPPORTED once initialised, with any signature.
template <typename Fn>
struct Unsupported;
template <typename... Args>
struct Unsupported<CK_RV (*)(Args...)> {
    static CK_RV call(Args... /*unused*/) noexcept { return mynacard::pkcs11::unsupported_call(); }
};

template <typename List>
List make_function_list(CK_VERSION version) {
    List l{};
    l.version = version;
#define MYNACARD_P11_SET(name) l.name = name
#define MYNACARD_P11_UNSUPPORTED(name) l.name = &Unsupported<CK_##name>::call
    MYNACARD_P11_SET(C_Initialize);
    MYNACARD_P11_SET(C_Finalize);
    MYNACARD_P11_SET(C_GetInfo);
    MYNACARD_P11_SET(C_GetFunctionList);
    MYNACARD_P11_SET(C_GetSlotList);
    MYNACARD_P11_SET(C_GetSlotInfo);
    MYNACARD_P11_SET(C_GetTokenInfo);
    MYNACARD_P11_SET(C_GetMechanismList);
    MYNACARD_P11_SET(C_GetMechanismInfo);
    MYNACARD_P11_UNSUPPORTED(C_InitToken);
    MYNACARD_P11_UNSUPPORTED(C_InitPIN);
    MYNACARD_P11_SET(C_SetPIN);
    MYNACARD_P11_SET(C_OpenSession);
    MYNACARD_P11_SET(C_CloseSession);
    MYNACARD_P11_SET(C_CloseAllSessions);
    MYNACARD_P11_SET(C_GetSessionInfo);
    MYNACARD_P11_UNSUPPORTED(C_GetOperationState);
    MYNACARD_P11_UNSUPPORTED(C_SetOperationState);
    MYNACARD_P11_SET(C_Login);
    MYNACARD_P11_SET(C_Logout);
    MYNACARD_P11_UNSUPPORTED(C_CreateObject);
    MYNACARD_P11_UNSUPPORTED(C_CopyObject);
    MYNACARD_P11_UNSUPPORTED(C_DestroyObject);
    MYNACARD_P11_SET(C_GetObjectSize);
    MYNACARD_P11_SET(C_GetAttributeValue);
    MYNACARD_P11_UNSUPPORTED(C_SetAttributeValue);
    MYNACARD_P11_SET(C_FindObjectsInit);
    MYNACARD_P11_SET(C_FindObjects);
    MYNACARD_P11_SET(C_FindObjectsFinal);
    MYNACARD_P11_UNSUPPORTED(C_EncryptInit);
    MYNACARD_P11_UNSUPPORTED(C_Encrypt);
    MYNACARD_P11_UNSUPPORTED(C_EncryptUpdate);
    MYNACARD_P11_UNSUPPORTED(C_EncryptFinal);
    MYNACARD_P11_UNSUPPORTED(C_DecryptInit);
    MYNACARD_P11_UNSUPPORTED(C_Decrypt);
    MYNACARD_P11_UNSUPPORTED(C_DecryptUpdate);
    MYNACARD_P11_UNSUPPORTED(C_DecryptFinal);
    MYNACARD_P11_UNSUPPORTED(C_DigestInit);
    MYNACARD_P11_UNSUPPORTED(C_Digest);
    MYNACARD_P11_UNSUPPORTED(C_DigestUpdate);
    MYNACARD_P11_UNSUPPORTED(C_DigestKey);
    MYNACARD_P11_UNSUPPORTED(C_DigestFinal);
    MYNACARD_P11_SET(C_SignInit);
    MYNACARD_P11_SET(C_Sign);
    MYNACARD_P11_SET(C_SignUpdate);
    MYNACARD_P11_SET(C_SignFinal);
    MYNACARD_P11_UNSUPPORTED(C_SignRecoverInit);
    MYNACARD_P11_UNSUPPORTED(C_SignRecover);
    MYNACARD_P11_UNSUPPORTED(C_VerifyInit);
    MYNACARD_P11_UNSUPPORTED(C_Verify);
    MYNACARD_P11_UNSUPPORTED(C_VerifyUpdate);
    MYNACARD_P11_UNSUPPORTED(C_VerifyFinal);
    MYNACARD_P11_UNSUPPORTED(C_VerifyRecoverInit);
    MYNACARD_P11_UNSUPPORTED(C_VerifyRecover);
    MYNACARD_P11_UNSUPPORTED(C_DigestEncryptUpdate);
    MYNACARD_P11_UNSUPPORTED(C_DecryptDigestUpdate);
    MYNACARD_P11_UNSUPPORTED(C_SignEncryptUpdate);
    MYNACARD_P11_UNSUPPORTED(C_DecryptVerifyUpdate);
    MYNACARD_P11_UNSUPPORTED(C_GenerateKey);
    MYNACARD_P11_UNSUPPORTED(C_GenerateKeyPair);
    MYNACARD_P11_UNSUPPORTED(C_WrapKey);
    MYNACARD_P11_UNSUPPORTED(C_UnwrapKey);
    MYNACARD_P11_UNSUPPORTED(C_DeriveKey);
    MYNACARD_P11_SET(C_SeedRandom);
    MYNACARD_P11_SET(C_GenerateRandom);
    MYNACARD_P11_SET(C_GetFunctionStatus);
    MYNACARD_P11_SET(C_CancelFunction);
    MYNACARD_P11_SET(C_WaitForSlotEvent);
    if constexpr (std::is_same_v<List, CK_FUNCTION_LIST_3_0>) {
        MYNACARD_P11_SET(C_GetInterfaceList);
        MYNACARD_P11_SET(C_GetInterface);
        // No user names on a smart card (as OpenSC): CKR_FUNCTION_NOT_SUPPORTED.
        MYNACARD_P11_UNSUPPORTED(C_LoginUser);
        MYNACARD_P11_SET(C_SessionCancel);
        MYNACARD_P11_UNSUPPORTED(C_MessageEncryptInit);
        MYNACARD_P11_UNSUPPORTED(C_EncryptMessage);
        MYNACARD_P11_UNSUPPORTED(C_EncryptMessageBegin);
        MYNACARD_P11_UNSUPPORTED(C_EncryptMessageNext);
        MYNACARD_P11_UNSUPPORTED(C_MessageEncryptFinal);
        MYNACARD_P11_UNSUPPORTED(C_MessageDecryptInit);
        MYNACARD_P11_UNSUPPORTED(C_DecryptMessage);
        MYNACARD_P11_UNSUPPORTED(C_DecryptMessageBegin);
        MYNACARD_P11_UNSUPPORTED(C_DecryptMessageNext);
        MYNACARD_P11_UNSUPPORTED(C_MessageDecryptFinal);
        MYNACARD_P11_UNSUPPORTED(C_MessageSignInit);
        MYNACARD_P11_UNSUPPORTED(C_SignMessage);
        MYNACARD_P11_UNSUPPORTED(C_SignMessageBegin);
        MYNACARD_P11_UNSUPPORTED(C_SignMessageNext);
        MYNACARD_P11_UNSUPPORTED(C_MessageSignFinal);
        MYNACARD_P11_UNSUPPORTED(C_MessageVerifyInit);
        MYNACARD_P11_UNSUPPORTED(C_VerifyMessage);
        MYNACARD_P11_UNSUPPORTED(C_VerifyMessageBegin);
        MYNACARD_P11_UNSUPPORTED(C_VerifyMessageNext);
        MYNACARD_P11_UNSUPPORTED(C_MessageVerifyFinal);
    }
#undef MYNACARD_P11_SET
#undef MYNACARD_P11_UNSUPPORTED
    return l;
}

// Static, trivially destructible; handed out by pointer (§5.4).
CK_FUNCTION_LIST_3_0 g_list_3_0 = make_function_list<CK_FUNCTION_LIST_3_0>({3, 0});
CK_FUNCTION_LIST g_list_2_40 = make_function_list<CK_FUNCTION_LIST>({2, 40});

CK_UTF8CHAR g_interface_name[] = "PKCS 11";
// §5.4 C_GetInterfaceList: the 3.0 list first (the default), then 2.40.
CK_INTERFACE g_interfaces[] = {
    {g_interface_name, &g_list_3_0, 0},
    {g_interface_name, &g_list_2_40, 0},
};

}  // namespace

extern "C" {

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(
    CK_FUNCTION_LIST_PTR_PTR ppFunctionList) {
    if (ppFunctionList == nullptr) return CKR_ARGUMENTS_BAD;
    *ppFunctionList = &g_list_2_40;
    return CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList,
                                                                CK_ULONG_PTR pulCount) {
    if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
    const CK_ULONG n = std::size(g_interfaces);
    if (pInterfacesList == nullptr) {
        *pulCount = n;
        return CKR_OK;
    }
    if (*pulCount < n) {
        *pulCount = n;
        return CKR_BUFFER_TOO_SMALL;
    }
    std::memcpy(pInterfacesList, g_interfaces, sizeof g_interfaces);
    *pulCount = n;
    return CKR_OK;
}

__attribute__((visibility("default"))) CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName,
                                                            CK_VERSION_PTR pVersion,
                                                            CK_INTERFACE_PTR_PTR ppInterface,
                                                            CK_FLAGS flags) {
    if (ppInterface == nullptr) return CKR_ARGUMENTS_BAD;
    for (auto& iface : g_interfaces) {
        if (pInterfaceName != nullptr &&
            std::strcmp(reinterpret_cast<const char*>(pInterfaceName),
                        reinterpret_cast<const char*>(iface.pInterfaceName)) != 0)
            continue;
        const auto* list = static_cast<const CK_FUNCTION_LIST*>(iface.pFunctionList);
        if (pVersion != nullptr &&
            (pVersion->major != list->version.major || pVersion->minor != list->version.minor))
            continue;
        if ((flags & ~iface.flags) != 0) continue;
        *ppInterface = &iface;
        return CKR_OK;
    }
    return CKR_ARGUMENTS_BAD;
}

}  // extern "C"
